/* Juror's space (/jury/): the declaration of ties; and the staff's ranking: each row's
   decision editor, brought by htmx on « Modifier la décision » (see initDecisions).

   No inline script or handler (a Content-Security-Policy without 'unsafe-inline' is planned):
   the template gives its French texts in data- attributes and a <template> for a new row.
   htmx (loaded before this file) runs the search of the official list; choosing a result
   (click, or arrows then Enter) adds a ticked row to « D'autres collectivités ».
   Without JavaScript, « Chercher » sends the form back and the results come as boxes.
   (The evaluation page saves itself with autosave.js.)
*/
(function () {
  "use strict";

  function focaliserAuChargement() {
    const cible = document.querySelector("[data-focus-au-chargement]");
    if (cible) {
      cible.focus();
    }
  }

  function initLiens(formulaire) {
    const champ = formulaire.querySelector("[data-recherche-liens]");
    const conteneur = champ && document.getElementById(champ.dataset.rechercheLiens);
    const liste = document.getElementById("autres-liens");
    const modele = document.getElementById("modele-lien");
    const annonce = document.getElementById("annonce-liens");
    const bouton = formulaire.querySelector("[data-chercher]");
    if (!champ || !conteneur || !liste || !modele) {
      return;
    }
    function ligneExistante(siren) {
      return formulaire.querySelector('[data-lien="' + CSS.escape(siren) + '"]');
    }

    // A new row from the <template>; the name and details go in as text, never as HTML.
    function nouvelleLigne(siren, nom, details) {
      const ligne = modele.content.firstElementChild.cloneNode(true);
      const idCase = "lien-" + siren;
      const idNature = "nature-" + siren;
      ligne.dataset.lien = siren;
      const caseACocher = ligne.querySelector("[data-lien-case]");
      caseACocher.value = siren;
      caseACocher.id = idCase;
      ligne.querySelector("[data-lien-etiquette]").setAttribute("for", idCase);
      ligne.querySelector("[data-lien-nom]").textContent = (
        modele.dataset.modeleLibelle || "%s"
      ).replace("%s", nom);
      const detail = ligne.querySelector("[data-lien-detail]");
      if (details) {
        detail.textContent = details;
      } else {
        detail.remove();
      }
      const nature = ligne.querySelector("[data-lien-nature]");
      nature.name = idNature;
      nature.id = idNature;
      ligne.querySelector("[data-lien-etiquette-nature]").setAttribute("for", idNature);
      return ligne;
    }

    function choisir(option) {
      const siren = option.dataset.siren;
      const nom = option.dataset.nom;
      const detailsElement = option.querySelector(".small");
      const details = detailsElement ? detailsElement.textContent.replace(/\s+/g, " ").trim() : "";
      let ligne = ligneExistante(siren);
      if (!ligne) {
        ligne = nouvelleLigne(siren, nom, details);
        liste.appendChild(ligne);
      }
      const caseACocher = ligne.querySelector('input[type="checkbox"]');
      caseACocher.checked = true;
      if (annonce) {
        annonce.textContent = (annonce.dataset.modeleAjout || "%s").replace("%s", nom);
      }
      conteneur.innerHTML = "";
      champ.value = "";
      combobox.replier();
      ligne.querySelector("select").focus();
    }

    const combobox = window.cerddCombobox(champ, conteneur, {
      choisir: choisir,
      // Enter never sends the declaration from the search field: it searches.
      entreeSansChoix: function (evenement) {
        evenement.preventDefault();
        window.htmx.trigger(champ, "search");
      },
    });

    // With JavaScript the search runs in place: « Chercher » needs no page reload.
    if (bouton) {
      bouton.addEventListener("click", function (evenement) {
        evenement.preventDefault();
        window.htmx.trigger(champ, "search");
      });
    }
  }

  // The ranking: a decision cell swapped by htmx takes the focus where the work goes on —
  // into its editor when it opens (the first refused field after a 422), back on
  // « Modifier » when it closes or is saved. Escape in an editor closes it (« Annuler »).
  function initDecisions() {
    document.addEventListener("htmx:load", function (evenement) {
      const cellule = evenement.target;
      if (!cellule.classList || !cellule.classList.contains("cellule-decision")) {
        return;
      }
      const formulaire = cellule.querySelector(".formulaire-decision");
      const cible = formulaire
        ? formulaire.querySelector('[aria-invalid="true"]') ||
          cellule.querySelector('[role="alert"]') ||
          formulaire.querySelector("select")
        : cellule.querySelector("[data-modifier-decision]");
      if (cible) {
        if (!cible.matches("a, button, input, select, textarea")) {
          cible.setAttribute("tabindex", "-1");
        }
        cible.focus();
      }
    });
    document.addEventListener("keydown", function (evenement) {
      if (evenement.key !== "Escape" || !evenement.target.closest) {
        return;
      }
      const formulaire = evenement.target.closest(".formulaire-decision");
      const annuler = formulaire && formulaire.querySelector("[data-annuler-decision]");
      if (annuler) {
        evenement.preventDefault();
        annuler.click();
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-liens-formulaire]").forEach(initLiens);
    if (document.querySelector(".cellule-decision")) {
      initDecisions();
    }
    focaliserAuChargement();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
