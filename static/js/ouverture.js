// « Ouverture du jour » (journal/equipe/ouverture.html): show the opening full screen on the
// projector, and print it. Progressive enhancement: without JavaScript, or where the
// Fullscreen API is missing, the buttons stay hidden and the page reads as it is (the
// browser's own full screen and print still work).
(function () {
  "use strict";

  function brancher(bloc) {
    var pleinEcran = bloc.querySelector("[data-plein-ecran]");
    var imprimer = bloc.querySelector("[data-imprimer]");

    if (pleinEcran && document.fullscreenEnabled && bloc.requestFullscreen) {
      var entrer = pleinEcran.getAttribute("data-libelle-entrer");
      var sortir = pleinEcran.getAttribute("data-libelle-sortir");

      var actualiser = function () {
        var actif = document.fullscreenElement === bloc;
        pleinEcran.textContent = actif ? sortir : entrer;
      };

      pleinEcran.addEventListener("click", function () {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else {
          bloc.requestFullscreen().catch(function () { /* refused: the page stays as is */ });
        }
      });
      document.addEventListener("fullscreenchange", actualiser);
      actualiser();
      pleinEcran.hidden = false;
    }

    if (imprimer && typeof window.print === "function") {
      imprimer.addEventListener("click", function () { window.print(); });
      imprimer.hidden = false;
    }
  }

  function demarrer() {
    document.querySelectorAll("[data-ouverture]").forEach(brancher);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
