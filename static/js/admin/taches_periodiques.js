/* Periodic-task admin form: spell out the chosen crontab under its field (what
   django_celery_beat does inline, moved to a file for the Content-Security-Policy). */
(function () {
  "use strict";
  const donnees = document.getElementById("readable-crontabs");
  const champ = document.getElementById("id_crontab");
  const aide = document.querySelector(".field-crontab .help");
  if (!donnees || !champ || !aide) {
    return;
  }
  const lisibles = JSON.parse(donnees.textContent);
  const aideInitiale = aide.textContent;
  const traduction = document.querySelector(".field-crontab_translation");
  if (traduction) {
    traduction.hidden = true;
  }
  function mettreAJour() {
    const texte = lisibles[champ.value];
    aide.textContent = aideInitiale;
    if (texte) {
      aide.appendChild(document.createElement("br"));
      aide.appendChild(document.createTextNode("Soit : " + texte));
    }
  }
  champ.addEventListener("change", mettreAJour);
  mettreAJour();
})();
