// The widget's own labels (UI chrome, not conversation: every answer comes from the assistant).
// {name} is replaced by a file name. `switchTo` is what the language selector sends.
window.CNS_CHAT_I18N = {
  fr: {
    title: "Assistant séjour à l'étranger",
    launcherOpen: "Ouvrir l'assistant",
    launcherClose: "Fermer l'assistant",
    close: "Fermer",
    language: "Langue",
    log: "Conversation",
    you: "Vous :",
    bot: "Assistant :",
    note: "Information :",
    input: "Votre message",
    placeholder: "Écrivez votre message…",
    send: "Envoyer",
    attach: "Joindre un fichier (PDF, JPEG ou PNG)",
    choices: "Réponses proposées",
    typing: "L'assistant écrit…",
    intro: "Posez votre question en français, en allemand ou en anglais. Ne saisissez pas de données de santé.",
    offline: "Connexion interrompue : nouvelle tentative en cours…",
    unavailable: "Le service est momentanément indisponible. Réessayez dans un instant.",
    noAnswer: "Pas de réponse pour le moment. Réessayez dans un instant.",
    uploading: "Envoi de « {name} »…",
    attached: "Fichier joint : {name}",
    download: "Télécharger {name}",
    switchTo: "En français, s'il vous plaît.",
    upload: {
      empty: "« {name} » est vide : rien n'a été envoyé.",
      bad_type: "« {name} » n'a pas été accepté : seuls les PDF, JPEG et PNG le sont (le contenu du fichier est vérifié, pas son nom).",
      too_many_files: "« {name} » n'a pas été accepté : 15 fichiers au plus par conversation.",
      too_large: "« {name} » n'a pas été accepté : 20 Mo au plus pour l'ensemble des fichiers d'une conversation.",
      bad_sender: "« {name} » n'a pas pu être envoyé. Rechargez la page et réessayez.",
      bad_request: "« {name} » n'a pas pu être envoyé. Réessayez.",
      network: "« {name} » n'a pas pu être envoyé : le serveur ne répond pas. Réessayez dans un instant."
    }
  },
  de: {
    title: "Assistent für Auslandsaufenthalte",
    launcherOpen: "Assistenten öffnen",
    launcherClose: "Assistenten schließen",
    close: "Schließen",
    language: "Sprache",
    log: "Unterhaltung",
    you: "Sie:",
    bot: "Assistent:",
    note: "Hinweis:",
    input: "Ihre Nachricht",
    placeholder: "Schreiben Sie Ihre Nachricht…",
    send: "Senden",
    attach: "Datei anhängen (PDF, JPEG oder PNG)",
    choices: "Antwortvorschläge",
    typing: "Der Assistent schreibt…",
    intro: "Stellen Sie Ihre Frage auf Französisch, Deutsch oder Englisch. Geben Sie keine Gesundheitsdaten ein.",
    offline: "Verbindung unterbrochen: neuer Versuch läuft…",
    unavailable: "Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
    noAnswer: "Im Moment keine Antwort. Bitte versuchen Sie es gleich noch einmal.",
    uploading: "„{name}“ wird gesendet…",
    attached: "Angehängte Datei: {name}",
    download: "{name} herunterladen",
    switchTo: "Auf Deutsch, bitte.",
    upload: {
      empty: "„{name}“ ist leer: Es wurde nichts gesendet.",
      bad_type: "„{name}“ wurde nicht angenommen: Nur PDF, JPEG und PNG sind möglich (geprüft wird der Inhalt der Datei, nicht ihr Name).",
      too_many_files: "„{name}“ wurde nicht angenommen: höchstens 15 Dateien pro Unterhaltung.",
      too_large: "„{name}“ wurde nicht angenommen: höchstens 20 MB für alle Dateien einer Unterhaltung zusammen.",
      bad_sender: "„{name}“ konnte nicht gesendet werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.",
      bad_request: "„{name}“ konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
      network: "„{name}“ konnte nicht gesendet werden: Der Server antwortet nicht. Bitte versuchen Sie es gleich noch einmal."
    }
  },
  en: {
    title: "Stay-abroad assistant",
    launcherOpen: "Open the assistant",
    launcherClose: "Close the assistant",
    close: "Close",
    language: "Language",
    log: "Conversation",
    you: "You:",
    bot: "Assistant:",
    note: "Note:",
    input: "Your message",
    placeholder: "Type your message…",
    send: "Send",
    attach: "Attach a file (PDF, JPEG or PNG)",
    choices: "Suggested answers",
    typing: "The assistant is typing…",
    intro: "Ask your question in French, German or English. Please do not type health data.",
    offline: "Connection lost: trying again…",
    unavailable: "The service is temporarily unavailable. Please try again in a moment.",
    noAnswer: "No answer for now. Please try again in a moment.",
    uploading: "Sending “{name}”…",
    attached: "Attached file: {name}",
    download: "Download {name}",
    switchTo: "In English, please.",
    upload: {
      empty: "“{name}” is empty: nothing was sent.",
      bad_type: "“{name}” was not accepted: only PDF, JPEG and PNG files are (the file's content is checked, not its name).",
      too_many_files: "“{name}” was not accepted: at most 15 files per conversation.",
      too_large: "“{name}” was not accepted: at most 20 MB for all the files of a conversation together.",
      bad_sender: "“{name}” could not be sent. Reload the page and try again.",
      bad_request: "“{name}” could not be sent. Please try again.",
      network: "“{name}” could not be sent: the server does not answer. Please try again in a moment."
    }
  }
};

// Words frequent in one language only: the widget follows the language the assistant answers in.
window.CNS_CHAT_WORDS = {
  fr: "le la les des une un est vous votre vos pour dans avec pas que qui sur au aux du et ne nous je êtes avez sont cette ce ou merci oui non",
  de: "der die das und ist sie ihr ihre ihren ihrem nicht mit für ein eine einen dem den zu auf bei wir ich sind werden oder auch bitte danke ja nein",
  en: "the and you your is are for with not that this to of be have will please can or do thank yes no"
};
