/* Candidate's space (/candidatures/): the collectivity picker and the form that saves itself.

   No inline script or handler anywhere (a Content-Security-Policy without 'unsafe-inline' is
   planned): the templates give their data and their French messages in data- attributes, and
   everything is wired here. htmx (loaded before this file) sends the requests.

   The promise of the form: nothing typed is lost.
   - Each field is POSTed alone by htmx (hx-params) 2 s after the last keystroke and when the
     field is left, so two tabs editing different fields never overwrite each other.
   - Until the server confirms a field, a copy stays in localStorage; on the next visit, a copy
     newer than the server's version is offered back.
   - A failed save (server or network error) is retried automatically, with a growing delay.
   - When the tab is hidden or closed, pending fields leave with navigator.sendBeacon.
*/
(function () {
  "use strict";

  function focaliserAuChargement() {
    const cible = document.querySelector("[data-focus-au-chargement]");
    if (cible) {
      cible.focus();
    }
  }

  /* --- Collectivity picker: an ARIA combobox over the htmx search results (a listbox) ----- */

  function initChoixTerritoire(champ) {
    const conteneur = document.getElementById(champ.dataset.combobox);
    const cache = document.querySelector("[data-territoire-choisi]");
    const annonce = document.getElementById("choix-territoire");
    if (!conteneur || !cache || !annonce) {
      return;
    }
    const modele = conteneur.dataset.modeleChoix || "%s";
    let nomChoisi = null;
    let combobox = null;

    function choisir(option) {
      const details = option.querySelector(".small");
      nomChoisi = option.dataset.nom;
      cache.value = option.dataset.siren;
      cache.disabled = false;
      champ.value = nomChoisi;
      annonce.textContent = modele.replace(
        "%s",
        nomChoisi + (details ? " (" + details.textContent.replace(/\s+/g, " ").trim() + ")" : "")
      );
      conteneur.innerHTML = "";
      combobox.replier();
    }

    function oublierChoix() {
      nomChoisi = null;
      cache.value = "";
      cache.disabled = true;
      annonce.textContent = "";
    }

    champ.addEventListener("input", function () {
      if (nomChoisi !== null && champ.value !== nomChoisi) {
        oublierChoix();
      }
    });

    combobox = window.cerddCombobox(champ, conteneur, {
      choisir: function (option) {
        choisir(option);
        champ.focus();
      },
    });

    // With JavaScript the search runs in place; the button and Enter need no page reload.
    if (champ.form) {
      champ.form.addEventListener("submit", function (evenement) {
        evenement.preventDefault();
        window.htmx.trigger(champ, "search");
      });
    }
  }

  /* --- The form that saves itself --------------------------------------------------------- */

  const DELAIS_ESSAI_MS = [2000, 5000, 10000, 20000, 30000];
  const ATTENTE_MAX_MS = 15000;

  function initAutosave(form) {
    const statut = document.getElementById("etat-enregistrement");
    const prefixe = "cerdd-candidature:" + form.dataset.candidature + ":";
    const messages = {
      erreur: form.dataset.messageErreur,
      session: form.dataset.messageSession,
      aJour: form.dataset.messageAJour,
      attente: form.dataset.messageAttente,
    };
    // The server's version of the answers when the page was built, then after each save.
    let revision = parseInt(form.dataset.revision, 10) || 0;
    const modifieLe = parseInt(form.dataset.modifieLe, 10) || 0;
    // Fields changed on this page and not yet confirmed by the server.
    const nonConfirmes = new Set();
    // For each field, the values of the last request sent.
    const envoyes = new Map();
    // Automatic retries, per field.
    const essais = new Map();
    let requetesEnCours = 0;
    let envoiFormulaireEnCours = false;

    // The sticky save bar must never cover the field being typed in (WCAG 2.4.11): focus and
    // in-page links scroll with room for it. (Set through the CSSOM, allowed by a strict CSP.)
    const barre = statut && statut.closest(".sticky-bottom");
    if (barre) {
      document.documentElement.style.scrollPaddingBottom = barre.offsetHeight + 16 + "px";
    }

    function afficher(texte) {
      if (statut && texte) {
        statut.textContent = texte;
      }
    }

    function champs() {
      const noms = new Set();
      form.querySelectorAll("[data-autosave]").forEach(function (element) {
        noms.add(element.dataset.autosave);
      });
      return Array.from(noms);
    }

    function elementDe(champ) {
      return form.querySelector('[data-autosave="' + CSS.escape(champ) + '"]');
    }

    // A field's values as the form would send them (a box also sends its empty hidden twin).
    function lire(champ) {
      return new FormData(form).getAll(champ).filter(function (valeur) {
        return typeof valeur === "string";
      });
    }

    function empreinte(valeurs) {
      return JSON.stringify(
        valeurs.map(function (valeur) {
          return valeur.trim();
        })
      );
    }

    function ecrire(champ, valeurs) {
      form.querySelectorAll('[name="' + CSS.escape(champ) + '"]').forEach(function (element) {
        if (element.type === "hidden") {
          return;
        }
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = valeurs.indexOf(element.value) >= 0;
        } else {
          element.value = valeurs.length ? valeurs[valeurs.length - 1] : "";
        }
      });
    }

    // Local copy, until the server confirms: { valeurs, revision it was typed on, when }.
    function memoriser(champ) {
      try {
        window.localStorage.setItem(
          prefixe + champ,
          JSON.stringify({ valeurs: lire(champ), revision: revision, le: Date.now() })
        );
      } catch (erreur) {
        // Private browsing or a full storage: the server copy is still on its way.
      }
    }

    function copieLocale(champ) {
      try {
        const copie = JSON.parse(window.localStorage.getItem(prefixe + champ));
        return copie && Array.isArray(copie.valeurs) ? copie : null;
      } catch (erreur) {
        return null;
      }
    }

    function oublier(champ) {
      try {
        window.localStorage.removeItem(prefixe + champ);
      } catch (erreur) {
        // Nothing to forget.
      }
    }

    function annulerEssai(champ) {
      const essai = essais.get(champ);
      if (essai) {
        window.clearTimeout(essai.minuterie);
        essais.delete(champ);
      }
    }

    function envoyer(champ) {
      const element = elementDe(champ);
      if (element) {
        window.htmx.trigger(element, "reessayer");
      }
    }

    function reessayerPlusTard(champ) {
      afficher(messages.erreur);
      const essai = essais.get(champ) || { n: 0, minuterie: null };
      window.clearTimeout(essai.minuterie);
      const delai = DELAIS_ESSAI_MS[Math.min(essai.n, DELAIS_ESSAI_MS.length - 1)];
      essai.n += 1;
      essai.minuterie = window.setTimeout(function () {
        envoyer(champ);
      }, delai);
      essais.set(champ, essai);
    }

    function toutEnvoyer() {
      nonConfirmes.forEach(envoyer);
    }

    function surSaisie(evenement) {
      const champ = evenement.target.dataset && evenement.target.dataset.autosave;
      if (champ) {
        nonConfirmes.add(champ);
        memoriser(champ);
      }
    }
    form.addEventListener("input", surSaisie);
    form.addEventListener("change", surSaisie);

    function champDe(evenement) {
      const element = evenement.detail && evenement.detail.elt;
      return element && element.dataset ? element.dataset.autosave : undefined;
    }

    form.addEventListener("htmx:configRequest", function (evenement) {
      const champ = champDe(evenement);
      if (champ) {
        envoyes.set(champ, empreinte(lire(champ)));
      }
    });

    form.addEventListener("htmx:beforeRequest", function (evenement) {
      if (champDe(evenement)) {
        requetesEnCours += 1;
      }
    });

    // A 200 that is not our fragment (e.g. the login page after a redirect) is no save.
    form.addEventListener("htmx:beforeSwap", function (evenement) {
      const xhr = evenement.detail.xhr;
      if (champDe(evenement) && xhr.status < 300 && !xhr.getResponseHeader("X-Revision")) {
        evenement.detail.shouldSwap = false;
        evenement.detail.isError = true;
      }
    });

    form.addEventListener("htmx:afterRequest", function (evenement) {
      const champ = champDe(evenement);
      if (!champ) {
        return;
      }
      requetesEnCours = Math.max(0, requetesEnCours - 1);
      // Only a 2xx carrying the new revision confirms a save. A 422 (deadline passed,
      // candidature deposited) is swapped into the status by htmx: the text stays in the
      // field and in the local copy, and no retry can help.
      const xhr = evenement.detail.xhr;
      const confirmee = parseInt(xhr.getResponseHeader("X-Revision"), 10);
      if (!evenement.detail.successful || xhr.status >= 300 || Number.isNaN(confirmee)) {
        return;
      }
      revision = Math.max(revision, confirmee);
      annulerEssai(champ);
      // Typed more while the request travelled? The field stays pending for the next save.
      if (empreinte(lire(champ)) === envoyes.get(champ)) {
        nonConfirmes.delete(champ);
        oublier(champ);
      }
    });

    // Network down: retry.
    form.addEventListener("htmx:sendError", function (evenement) {
      const champ = champDe(evenement);
      if (champ) {
        reessayerPlusTard(champ);
      }
    });

    // Server error: retry; session lost (or any other refusal): say so.
    form.addEventListener("htmx:responseError", function (evenement) {
      const champ = champDe(evenement);
      if (!champ) {
        return;
      }
      const xhr = evenement.detail.xhr;
      if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        reessayerPlusTard(champ);
      } else {
        // 403 (session expired, CSRF), 404 (access withdrawn), a login page after a redirect.
        afficher(messages.session);
      }
    });

    window.addEventListener("online", toutEnvoyer);

    // A tab hidden or closed: the last keystrokes leave with a beacon (no answer awaited).
    function envoyerBalise() {
      if (!nonConfirmes.size || !navigator.sendBeacon) {
        return;
      }
      const tout = new FormData(form);
      const donnees = new FormData();
      donnees.append("csrfmiddlewaretoken", tout.get("csrfmiddlewaretoken"));
      donnees.append("_balise", "1");
      nonConfirmes.forEach(function (champ) {
        tout.getAll(champ).forEach(function (valeur) {
          donnees.append(champ, valeur);
        });
      });
      navigator.sendBeacon(form.action, donnees);
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        envoyerBalise();
      } else {
        // Back on the page: confirm what the beacon carried, or send it again.
        toutEnvoyer();
      }
    });
    window.addEventListener("pagehide", envoyerBalise);

    // "Enregistrer" and "Déposer": send what is pending first, then (for "Déposer") submit.
    function quandToutEstEnregistre(suite, echec) {
      const debut = Date.now();
      (function attendre() {
        if (!nonConfirmes.size && !requetesEnCours) {
          suite();
        } else if (Date.now() - debut > ATTENTE_MAX_MS) {
          echec();
        } else {
          window.setTimeout(attendre, 150);
        }
      })();
    }

    form.addEventListener("submit", function (evenement) {
      evenement.preventDefault();
      if (envoiFormulaireEnCours) {
        return;
      }
      const deposer = evenement.submitter && evenement.submitter.hasAttribute("data-deposer");
      const avaitDesModifications = nonConfirmes.size > 0;
      envoiFormulaireEnCours = true;
      if (avaitDesModifications) {
        afficher(messages.attente);
        toutEnvoyer();
      }
      quandToutEstEnregistre(
        function () {
          envoiFormulaireEnCours = false;
          const soumission = document.getElementById(form.dataset.soumettre);
          if (deposer && soumission) {
            soumission.submit();
          } else if (!avaitDesModifications) {
            afficher(messages.aJour);
          }
        },
        function () {
          envoiFormulaireEnCours = false;
          afficher(messages.erreur);
        }
      );
    });

    // On arrival: local copies newer than the server's version are offered back.
    function libelle(champ) {
      const element = elementDe(champ);
      const groupe = element.closest("fieldset");
      const legende = groupe && groupe.querySelector("legend");
      const titre = legende ? legende.textContent.replace("*", "").trim() : "";
      const etiquette = element.id && form.querySelector('label[for="' + CSS.escape(element.id) + '"]');
      if (!etiquette || (element.type === "checkbox" && element.name === "engagements")) {
        return titre || champ;
      }
      const texte = etiquette.textContent.replace("*", "").replace(/\s+/g, " ").trim();
      return titre ? titre + " — " + texte : texte;
    }

    function proposerRestauration() {
      const bandeau = document.getElementById("restauration");
      const aRestaurer = [];
      champs().forEach(function (champ) {
        const copie = copieLocale(champ);
        if (!copie) {
          return;
        }
        if (empreinte(copie.valeurs) === empreinte(lire(champ))) {
          oublier(champ);
        } else if (copie.revision >= revision || copie.le > modifieLe) {
          aRestaurer.push({ champ: champ, valeurs: copie.valeurs });
        } else {
          oublier(champ);
        }
      });
      if (!bandeau || !aRestaurer.length) {
        return;
      }
      bandeau.querySelector("[data-restauration-liste]").textContent = aRestaurer
        .map(function (copie) {
          return libelle(copie.champ);
        })
        .join(" ; ");
      bandeau.hidden = false;
      bandeau.focus();

      function fermer(focusSur) {
        bandeau.hidden = true;
        if (focusSur) {
          focusSur.focus();
        }
      }
      bandeau.querySelector("[data-restaurer]").addEventListener("click", function () {
        aRestaurer.forEach(function (copie) {
          ecrire(copie.champ, copie.valeurs);
          nonConfirmes.add(copie.champ);
          memoriser(copie.champ);
          envoyer(copie.champ);
        });
        fermer(elementDe(aRestaurer[0].champ));
      });
      bandeau.querySelector("[data-ignorer]").addEventListener("click", function () {
        aRestaurer.forEach(function (copie) {
          oublier(copie.champ);
        });
        fermer(form.querySelector("[data-autosave]"));
      });
    }

    proposerRestauration();
  }

  function init() {
    document.querySelectorAll("[data-combobox]").forEach(initChoixTerritoire);
    document.querySelectorAll("[data-autosave-formulaire]").forEach(initAutosave);
    focaliserAuChargement();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
