// Confirmation of attendance (seances/participant/confirmer.html): show only the questions
// that follow from the answer chosen. Without JavaScript every question stays visible and
// the server ignores those that do not apply.
(function () {
  "use strict";

  function brancher(formulaire) {
    var reponses = formulaire.querySelectorAll('input[name="reponse"]');
    var blocs = formulaire.querySelectorAll("[data-si-reponse]");
    var dejeuner = formulaire.querySelector('input[name="dejeuner"]');
    var repas = formulaire.querySelector("[data-si-dejeuner]");

    function reponseChoisie() {
      for (var i = 0; i < reponses.length; i++) {
        if (reponses[i].checked) return reponses[i].value;
      }
      return "";
    }

    function actualiser() {
      var choix = reponseChoisie();
      blocs.forEach(function (bloc) {
        bloc.hidden = bloc.getAttribute("data-si-reponse") !== choix;
      });
      if (dejeuner && repas) repas.hidden = !dejeuner.checked;
    }

    reponses.forEach(function (radio) { radio.addEventListener("change", actualiser); });
    if (dejeuner) dejeuner.addEventListener("change", actualiser);
    actualiser();
  }

  function demarrer() {
    document.querySelectorAll("form[data-confirmation]").forEach(brancher);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
