/* An ARIA combobox over htmx search results (a listbox of [role="option"]), shared by the
   collectivity picker of the candidate (autosave.js) and the ties of a juror (jury.js).

   cerddCombobox(champ, conteneur, {choisir, entreeSansChoix}) wires the arrows, Enter, Escape,
   clicks and the swap of new results; ``choisir(option)`` is the page's own action, and
   ``entreeSansChoix(evenement)``, if given, handles Enter when no option is active.
   Returns {replier} so that the page can close the list after its own action.
*/
(function () {
  "use strict";

  window.cerddCombobox = function (champ, conteneur, actions) {
    let actif = -1;

    champ.setAttribute("role", "combobox");
    champ.setAttribute("aria-autocomplete", "list");
    champ.setAttribute("aria-expanded", "false");
    champ.setAttribute("aria-controls", conteneur.id);

    function options() {
      return Array.from(conteneur.querySelectorAll('[role="option"]'));
    }

    function replier() {
      actif = -1;
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
    }

    function activer(index) {
      const liste = options();
      if (!liste.length) {
        return;
      }
      actif = (index + liste.length) % liste.length;
      liste.forEach(function (option, i) {
        option.classList.toggle("active", i === actif);
        option.setAttribute("aria-selected", i === actif ? "true" : "false");
      });
      champ.setAttribute("aria-expanded", "true");
      champ.setAttribute("aria-activedescendant", liste[actif].id);
      liste[actif].scrollIntoView({ block: "nearest" });
    }

    champ.addEventListener("keydown", function (evenement) {
      const liste = options();
      if (evenement.key === "ArrowDown" && liste.length) {
        evenement.preventDefault();
        activer(actif + 1);
      } else if (evenement.key === "ArrowUp" && liste.length) {
        evenement.preventDefault();
        activer(actif - 1);
      } else if (evenement.key === "Enter" && actif >= 0 && liste[actif]) {
        evenement.preventDefault();
        actions.choisir(liste[actif]);
      } else if (evenement.key === "Enter" && actions.entreeSansChoix) {
        actions.entreeSansChoix(evenement);
      } else if (evenement.key === "Escape" && liste.length) {
        evenement.preventDefault();
        conteneur.innerHTML = "";
        replier();
      }
    });

    conteneur.addEventListener("click", function (evenement) {
      const option = evenement.target.closest('[role="option"]');
      if (option) {
        actions.choisir(option);
      }
    });

    conteneur.addEventListener("htmx:afterSwap", function () {
      const resultats = conteneur.querySelector('[role="listbox"]');
      if (resultats) {
        resultats.id = conteneur.id + "-liste";
        champ.setAttribute("aria-controls", resultats.id);
      } else {
        champ.setAttribute("aria-controls", conteneur.id);
      }
      replier();
      champ.setAttribute("aria-expanded", options().length ? "true" : "false");
    });

    return { replier: replier };
  };
})();
