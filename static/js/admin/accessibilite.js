/* Accessibility repairs of Django's own admin widgets, which the templates cannot reach. */
(function () {
  "use strict";

  // SelectFilter2 puts an aria-label on a bare <span> (the magnifier), where ARIA forbids
  // one: the role of an image allows it, and the label of the box keeps its text.
  function loupes() {
    document.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icone) {
      icone.setAttribute("role", "img");
    });
  }

  // The date and time boxes of a split date-time field have no <label> of their own: name
  // them after the field's label and the « Date : » / « Heure : » text before each.
  function datesHeures() {
    document.querySelectorAll("p.datetime").forEach(function (bloc) {
      const ligne = bloc.closest(".form-row, .fieldBox, div");
      const etiquette = ligne ? ligne.querySelector("label") : null;
      const champ = etiquette ? etiquette.textContent.replace(/\s*:\s*$/, "").trim() : "";
      let texte = "";
      bloc.childNodes.forEach(function (noeud) {
        if (noeud.nodeType === Node.TEXT_NODE && noeud.textContent.trim()) {
          texte = noeud.textContent.replace(/\s*:\s*$/, "").trim();
        } else if (noeud.nodeName === "INPUT" && !noeud.labels.length) {
          noeud.setAttribute("aria-label", champ ? champ + " – " + texte : texte);
        }
      });
    });
  }

  datesHeures();
  window.addEventListener("load", loupes);
})();
