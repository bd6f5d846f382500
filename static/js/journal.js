/* The logbook's entry page (/journal/seances/<pk>/): it saves itself as you type.

   No inline script or handler anywhere (a Content-Security-Policy without 'unsafe-inline' is
   planned): the template gives its addresses and French messages in data- attributes.

   The promise, as for the candidature form: nothing typed is lost.
   - Each text (an item, or the free notes) is POSTed alone with the version the page read,
     1.5 s after the last keystroke and when the field is left. The server answers in JSON:
     the new version, or 409 with the text saved elsewhere (another tab, another device),
     which is never overwritten: both versions are shown, the person keeps one.
   - Until the server confirms a text, a copy stays in localStorage; on the next visit, a copy
     that differs from the server's text is offered back.
   - A failed save (server or network error) is retried automatically, with a growing delay.
   - When the tab is hidden or closed, pending texts leave with navigator.sendBeacon.
   Without JavaScript, the page is one form: « Enregistrer » sends everything at once.
*/
(function () {
  "use strict";

  const DELAI_SAISIE_MS = 1500;
  const DELAIS_ESSAI_MS = [2000, 5000, 10000, 20000, 30000];
  const ATTENTE_MAX_MS = 15000;

  function focaliserAuChargement() {
    const cible = document.querySelector("[data-focus-au-chargement]");
    if (cible) {
      cible.focus();
    }
  }

  function initJournal(form) {
    const statut = document.getElementById("etat-enregistrement");
    const prefixe = form.dataset.cle + ":";
    const jetonChamp = form.querySelector('[name="csrfmiddlewaretoken"]');
    const jeton = jetonChamp ? jetonChamp.value : "";
    const messages = {
      erreur: form.dataset.messageErreur,
      session: form.dataset.messageSession,
      aJour: form.dataset.messageAJour,
      attente: form.dataset.messageAttente,
      supprime: form.dataset.messageSupprime,
      autre: form.dataset.messageAutre,
    };
    // Every saved text of the page (items and notes), by key: "element-12", "notes".
    const champs = new Map();
    let requetesEnCours = 0;

    // The sticky save bar must never cover the field being typed in (WCAG 2.4.11).
    const barre = statut && statut.closest(".sticky-bottom");
    if (barre) {
      document.documentElement.style.scrollPaddingBottom = barre.offsetHeight + 16 + "px";
    }

    function afficher(texte) {
      if (statut && texte) {
        statut.textContent = texte;
      }
    }

    function ecrireEtat(champ, texte, erreur) {
      if (!champ.etat) {
        return;
      }
      champ.etat.textContent = "";
      if (!texte) {
        return;
      }
      const span = document.createElement("span");
      span.textContent = texte;
      if (erreur) {
        span.className = "text-danger-emphasis fw-semibold";
      }
      champ.etat.appendChild(span);
    }

    /* --- requests --------------------------------------------------------------------------- */

    // POST, answered in JSON. Anything else (a login page after a redirect, a CSRF refusal)
    // comes back with donnees = null: the session is gone.
    function poster(url, parametres) {
      parametres.append("csrfmiddlewaretoken", jeton);
      return window
        .fetch(url, {
          method: "POST",
          body: parametres,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": jeton },
        })
        .then(function (reponse) {
          const type = reponse.headers.get("Content-Type") || "";
          if (reponse.redirected || type.indexOf("application/json") === -1) {
            return { statut: reponse.status, donnees: null };
          }
          return reponse.json().then(function (donnees) {
            return { statut: reponse.status, donnees: donnees };
          });
        });
    }

    /* --- local copies ------------------------------------------------------------------------ */

    function memoriser(champ) {
      try {
        window.localStorage.setItem(
          prefixe + champ.cle,
          JSON.stringify({
            texte: champ.zone.value,
            version: parseInt(champ.version.value, 10) || 0,
            le: Date.now(),
          })
        );
      } catch (erreur) {
        // Private browsing or a full storage: the server copy is still on its way.
      }
    }

    function copieLocale(champ) {
      try {
        const copie = JSON.parse(window.localStorage.getItem(prefixe + champ.cle));
        return copie && typeof copie.texte === "string" ? copie : null;
      } catch (erreur) {
        return null;
      }
    }

    function oublier(cle) {
      try {
        window.localStorage.removeItem(prefixe + cle);
      } catch (erreur) {
        // Nothing to forget.
      }
    }

    /* --- one text that saves itself ----------------------------------------------------------- */

    function creerChamp(bloc) {
      const estNotes = bloc.hasAttribute("data-notes");
      const champ = {
        cle: estNotes ? "notes" : "element-" + bloc.dataset.element,
        nom: estNotes ? "notes" : "texte",
        bloc: bloc,
        url: bloc.dataset.url,
        zone: bloc.querySelector("[data-texte]"),
        version: bloc.querySelector("[data-version]"),
        etat: bloc.querySelector("[data-etat]"),
        boiteConflit: bloc.querySelector("[data-conflit]"),
        enAttente: false, // typed here, not yet confirmed by the server
        enVol: null, // the text of the request under way
        relancer: false,
        minuterie: null,
        essai: { n: 0, minuterie: null },
        conflit: null, // { texte, version } saved elsewhere
      };
      if (!champ.zone || !champ.version || !champ.url) {
        return null;
      }
      // A conflict shown by the server (a whole-page POST): the box holds the typed text.
      if (champ.boiteConflit && !champ.boiteConflit.hidden) {
        champ.conflit = {
          texte: champ.boiteConflit.querySelector("[data-autre-texte]").textContent,
          version: parseInt(champ.version.value, 10) || 0,
        };
        champ.enAttente = true;
      }
      champ.zone.addEventListener("input", function () {
        champ.enAttente = true;
        memoriser(champ);
        if (champ.conflit) {
          return; // saved once the person has chosen which version to keep
        }
        window.clearTimeout(champ.minuterie);
        champ.minuterie = window.setTimeout(function () {
          enregistrer(champ);
        }, DELAI_SAISIE_MS);
      });
      champ.zone.addEventListener("blur", function () {
        if (champ.enAttente && !champ.conflit) {
          enregistrer(champ);
        }
      });
      champs.set(champ.cle, champ);
      return champ;
    }

    function annulerEssai(champ) {
      window.clearTimeout(champ.essai.minuterie);
      champ.essai = { n: 0, minuterie: null };
    }

    function reessayerPlusTard(champ) {
      afficher(messages.erreur);
      ecrireEtat(champ, messages.erreur, true);
      window.clearTimeout(champ.essai.minuterie);
      const delai = DELAIS_ESSAI_MS[Math.min(champ.essai.n, DELAIS_ESSAI_MS.length - 1)];
      champ.essai.n += 1;
      champ.essai.minuterie = window.setTimeout(function () {
        enregistrer(champ);
      }, delai);
    }

    function montrerConflit(champ, texte, version, message) {
      champ.conflit = { texte: texte, version: version };
      if (champ.boiteConflit) {
        champ.boiteConflit.querySelector("[data-autre-texte]").textContent = texte;
        champ.boiteConflit.hidden = false;
      }
      champ.zone.setAttribute("aria-invalid", "true");
      ecrireEtat(champ, message, true);
      afficher(message);
    }

    function fermerConflit(champ) {
      champ.conflit = null;
      if (champ.boiteConflit) {
        champ.boiteConflit.hidden = true;
      }
      champ.zone.removeAttribute("aria-invalid");
    }

    function enregistrer(champ) {
      window.clearTimeout(champ.minuterie);
      if (!champ.enAttente || champ.conflit || !champs.has(champ.cle)) {
        return;
      }
      if (champ.enVol !== null) {
        champ.relancer = true; // one request at a time per text; the next one follows
        return;
      }
      const texte = champ.zone.value;
      const parametres = new URLSearchParams();
      parametres.append(champ.nom, texte);
      parametres.append("version", champ.version.value);
      champ.enVol = texte;
      requetesEnCours += 1;
      poster(champ.url, parametres)
        .then(function (reponse) {
          const donnees = reponse.donnees;
          if (reponse.statut === 200 && donnees && donnees.version !== undefined) {
            champ.version.value = donnees.version;
            annulerEssai(champ);
            champ.zone.removeAttribute("aria-invalid");
            ecrireEtat(champ, donnees.message, false);
            afficher(donnees.message);
            // Typed more while the request travelled? Still pending for the next save.
            if (champ.zone.value === texte) {
              champ.enAttente = false;
              oublier(champ.cle);
            }
          } else if (reponse.statut === 409 && donnees && donnees.conflit) {
            annulerEssai(champ);
            montrerConflit(champ, donnees.texte, donnees.version, donnees.message);
          } else if (reponse.statut === 422 && donnees && donnees.erreur) {
            // Refused (too long…): the text stays in the box and in the local copy.
            annulerEssai(champ);
            champ.zone.setAttribute("aria-invalid", "true");
            ecrireEtat(champ, donnees.erreur, true);
            afficher(donnees.erreur);
          } else if (
            reponse.statut >= 500 ||
            reponse.statut === 408 ||
            reponse.statut === 429
          ) {
            reessayerPlusTard(champ);
          } else {
            // 403 (session expired, CSRF), 404 (access withdrawn), a login page.
            ecrireEtat(champ, messages.session, true);
            afficher(messages.session);
          }
        })
        .catch(function () {
          reessayerPlusTard(champ); // network down
        })
        .finally(function () {
          champ.enVol = null;
          requetesEnCours = Math.max(0, requetesEnCours - 1);
          if (champ.relancer) {
            champ.relancer = false;
            enregistrer(champ);
          }
        });
    }

    function toutEnvoyer() {
      champs.forEach(function (champ) {
        if (champ.enAttente && !champ.conflit) {
          enregistrer(champ);
        }
      });
    }

    function garderMien(champ) {
      if (!champ.conflit) {
        return;
      }
      champ.version.value = champ.conflit.version;
      fermerConflit(champ);
      champ.enAttente = true;
      memoriser(champ);
      enregistrer(champ);
      champ.zone.focus();
    }

    function garderAutre(champ) {
      if (!champ.conflit) {
        return;
      }
      champ.zone.value = champ.conflit.texte;
      champ.version.value = champ.conflit.version;
      fermerConflit(champ);
      champ.enAttente = false;
      oublier(champ.cle);
      ecrireEtat(champ, messages.autre, false);
      afficher(messages.autre);
      champ.zone.focus();
    }

    /* --- items: add, share, delete ----------------------------------------------------------- */

    function renumeroter(section) {
      const elements = section.querySelectorAll("[data-element]");
      elements.forEach(function (bloc, rang) {
        bloc.querySelectorAll("[data-numero]").forEach(function (numero) {
          numero.textContent = String(rang + 1);
        });
      });
      const vide = section.querySelector("[data-vide]");
      if (vide) {
        vide.hidden = elements.length > 0;
      }
    }

    function echec(reponse) {
      const donnees = reponse && reponse.donnees;
      afficher(donnees && donnees.erreur ? donnees.erreur : messages.session);
    }

    function ajouter(bouton) {
      const section = bouton.closest("[data-rubrique]");
      const parametres = new URLSearchParams();
      parametres.append("rubrique", section.dataset.rubrique);
      bouton.disabled = true;
      poster(form.dataset.urlAjouter, parametres)
        .then(function (reponse) {
          if (reponse.statut !== 201 || !reponse.donnees || !reponse.donnees.html) {
            echec(reponse);
            return;
          }
          // The server's partial: every text in it is escaped there.
          const modele = document.createElement("template");
          modele.innerHTML = reponse.donnees.html.trim();
          const bloc = modele.content.firstElementChild;
          section.querySelector("[data-liste]").appendChild(bloc);
          const champ = creerChamp(bloc);
          renumeroter(section);
          if (champ) {
            champ.zone.focus();
          }
        })
        .catch(function () {
          afficher(messages.erreur);
        })
        .finally(function () {
          bouton.disabled = false;
        });
    }

    function partager(select) {
      const bloc = select.closest("[data-element]");
      const badge = bloc.querySelector("[data-badge]");
      const actuelle = badge ? badge.dataset.audienceActuelle : select.value;
      const parametres = new URLSearchParams();
      parametres.append("audience", select.value);
      afficher(messages.attente);
      poster(bloc.dataset.urlPartage, parametres)
        .then(function (reponse) {
          const donnees = reponse.donnees;
          if (reponse.statut !== 200 || !donnees || !donnees.audience) {
            select.value = actuelle; // what is shown is what is saved
            echec(reponse);
            return;
          }
          if (badge) {
            badge.className = badge.className.replace(
              /journal-audience--\S+/,
              "journal-audience--" + donnees.audience
            );
            badge.dataset.audienceActuelle = donnees.audience;
            badge.querySelector("[data-badge-libelle]").textContent = donnees.libelle;
          }
          afficher(donnees.message);
        })
        .catch(function () {
          select.value = actuelle;
          afficher(messages.erreur);
        });
    }

    function demanderSuppression(bouton) {
      const boite = bouton.closest("[data-element]").querySelector("[data-confirmation]");
      if (boite) {
        boite.hidden = false;
        boite.focus();
      }
    }

    function annulerSuppression(bloc) {
      bloc.querySelector("[data-confirmation]").hidden = true;
      bloc.querySelector("[data-supprimer]").focus();
    }

    function supprimer(bloc) {
      const cle = "element-" + bloc.dataset.element;
      const champ = champs.get(cle);
      const section = bloc.closest("[data-rubrique]");
      poster(bloc.dataset.urlSuppression, new URLSearchParams())
        .then(function (reponse) {
          if (reponse.statut !== 200 || !reponse.donnees || !reponse.donnees.supprime) {
            echec(reponse);
            return;
          }
          if (champ) {
            window.clearTimeout(champ.minuterie);
            annulerEssai(champ);
          }
          champs.delete(cle);
          oublier(cle);
          bloc.remove();
          renumeroter(section);
          afficher(reponse.donnees.message || messages.supprime);
          section.querySelector("[data-ajouter]").focus();
        })
        .catch(function () {
          afficher(messages.erreur);
        });
    }

    function champDe(bouton) {
      const cle = bouton.value === "notes" ? "notes" : "element-" + bouton.value;
      return champs.get(cle);
    }

    // The page's buttons, without reloading it. Without JavaScript they send the whole form.
    form.addEventListener("click", function (evenement) {
      const bouton = evenement.target.closest("button");
      if (!bouton || !form.contains(bouton)) {
        return;
      }
      const bloc = bouton.closest("[data-element]");
      if (bouton.name === "ajouter") {
        evenement.preventDefault();
        ajouter(bouton);
      } else if (bouton.name === "supprimer") {
        evenement.preventDefault();
        demanderSuppression(bouton);
      } else if (bouton.hasAttribute("data-confirmer-suppression")) {
        evenement.preventDefault();
        supprimer(bloc);
      } else if (bouton.hasAttribute("data-annuler-suppression")) {
        evenement.preventDefault();
        annulerSuppression(bloc);
      } else if (bouton.name === "garder_mien" || bouton.name === "garder_autre") {
        evenement.preventDefault();
        const champ = champDe(bouton);
        if (champ) {
          (bouton.name === "garder_mien" ? garderMien : garderAutre)(champ);
        }
      }
    });

    form.addEventListener("keydown", function (evenement) {
      const boite = evenement.target.closest && evenement.target.closest("[data-confirmation]");
      if (evenement.key === "Escape" && boite && !boite.hidden) {
        annulerSuppression(boite.closest("[data-element]"));
      }
    });

    form.addEventListener("change", function (evenement) {
      if (evenement.target.matches("[data-audience]")) {
        partager(evenement.target);
      }
    });

    // « Enregistrer »: send what is pending, then say so.
    let attenteEnCours = false;
    form.addEventListener("submit", function (evenement) {
      evenement.preventDefault();
      if (attenteEnCours) {
        return;
      }
      attenteEnCours = true;
      afficher(messages.attente);
      toutEnvoyer();
      const debut = Date.now();
      (function attendre() {
        const restants = Array.from(champs.values()).filter(function (champ) {
          return champ.enAttente;
        });
        if (!requetesEnCours && !restants.some((champ) => !champ.conflit)) {
          attenteEnCours = false;
          const conflit = restants.find((champ) => champ.conflit);
          if (conflit) {
            conflit.boiteConflit.focus();
          } else if (!restants.length) {
            afficher(messages.aJour);
          }
        } else if (Date.now() - debut > ATTENTE_MAX_MS) {
          attenteEnCours = false;
          afficher(messages.erreur);
        } else {
          window.setTimeout(attendre, 150);
        }
      })();
    });

    // A tab hidden or closed: the last keystrokes leave with a beacon (no answer awaited).
    function envoyerBalises() {
      if (!navigator.sendBeacon) {
        return;
      }
      champs.forEach(function (champ) {
        if (!champ.enAttente || champ.conflit) {
          return;
        }
        const donnees = new URLSearchParams();
        donnees.append(champ.nom, champ.zone.value);
        donnees.append("version", champ.version.value);
        donnees.append("_balise", "1");
        donnees.append("csrfmiddlewaretoken", jeton);
        navigator.sendBeacon(champ.url, donnees);
      });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        envoyerBalises();
      } else {
        // Back on the page: confirm what the beacon carried (or send it again).
        toutEnvoyer();
      }
    });
    window.addEventListener("pagehide", envoyerBalises);
    window.addEventListener("online", toutEnvoyer);

    /* --- on arrival -------------------------------------------------------------------------- */

    form.querySelectorAll("[data-element], [data-notes]").forEach(creerChamp);

    function libelle(champ) {
      const etiquette = champ.bloc.querySelector("label");
      if (champ.cle === "notes") {
        return form.dataset.libelleNotes;
      }
      return etiquette ? etiquette.textContent.replace(/\s+/g, " ").trim() : champ.cle;
    }

    function proposerRestauration() {
      // Copies of items deleted since (here or elsewhere) are forgotten.
      try {
        for (let i = window.localStorage.length - 1; i >= 0; i -= 1) {
          const cle = window.localStorage.key(i);
          if (cle && cle.indexOf(prefixe) === 0 && !champs.has(cle.slice(prefixe.length))) {
            window.localStorage.removeItem(cle);
          }
        }
      } catch (erreur) {
        return;
      }
      const aRestaurer = [];
      champs.forEach(function (champ) {
        const copie = copieLocale(champ);
        if (!copie) {
          return;
        }
        if (copie.texte.trim() === champ.zone.value.trim()) {
          oublier(champ.cle);
        } else if (!champ.conflit) {
          aRestaurer.push({ champ: champ, copie: copie });
        }
      });
      const bandeau = document.getElementById("restauration");
      if (!bandeau || !aRestaurer.length) {
        return;
      }
      bandeau.querySelector("[data-restauration-liste]").textContent = aRestaurer
        .map(function (ligne) {
          return libelle(ligne.champ);
        })
        .join(" ; ");
      bandeau.hidden = false;
      bandeau.focus();
      bandeau.querySelector("[data-restaurer]").addEventListener("click", function () {
        aRestaurer.forEach(function (ligne) {
          const champ = ligne.champ;
          champ.zone.value = ligne.copie.texte;
          // Saved against the version it was typed on: if the text changed since on the
          // server, both versions are shown.
          champ.version.value = ligne.copie.version;
          champ.enAttente = true;
          memoriser(champ);
          enregistrer(champ);
        });
        bandeau.hidden = true;
        aRestaurer[0].champ.zone.focus();
      });
      bandeau.querySelector("[data-ignorer]").addEventListener("click", function () {
        aRestaurer.forEach(function (ligne) {
          oublier(ligne.champ.cle);
        });
        bandeau.hidden = true;
        const premier = form.querySelector("[data-texte]");
        if (premier) {
          premier.focus();
        }
      });
    }

    proposerRestauration();
  }

  function init() {
    document.querySelectorAll("[data-journal]").forEach(initJournal);
    focaliserAuChargement();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
