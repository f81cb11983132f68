"""German word lists for the planner (see dripmail.planning.words)."""

DANGLING = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
    "eines", "und", "oder", "aber", "sondern", "mit", "von", "vom", "zu", "zum", "zur", "für",
    "auf", "im", "in", "bei", "beim", "an", "am", "aus", "nach", "über", "unter", "vor",
    "durch", "ohne", "gegen", "um", "als", "wie", "wenn", "dass", "daß", "ob", "weil", "ist",
    "sind", "war", "wird", "werden", "hat", "haben", "kann", "nicht", "kein", "keine", "ihr",
    "ihre", "sein", "seine", "mein", "meine", "dein", "deine", "unser", "unsere", "euer",
    "sich", "es", "sie", "er", "wir", "ich", "du", "man", "auch", "nur", "noch", "so",
}

GENERIC = {
    "einleitung", "einführung", "fazit", "zusammenfassung", "schluss", "schlusswort",
    "überblick", "übersicht", "anhang", "vorwort", "nachwort", "hintergrund", "inhalt",
    "inhaltsverzeichnis", "literatur", "quellen", "weiterführende links", "ausblick",
    "zum schluss", "danksagung", "erste schritte", "nächste schritte", "sonstiges",
}

STOP = {
    "hier", "dort", "jetzt", "dann", "schon", "sehr", "viel", "viele", "mehr", "immer", "nie",
    "oft", "alle", "alles", "jede", "jeder", "jedes", "diese", "dieser", "dieses", "diesem",
    "diesen", "welche", "welcher", "was", "wer", "wo", "wann", "warum", "also", "etwa",
    "beispiel", "beispielsweise", "z.b", "bzw", "usw", "etc", "können", "müssen", "sollen",
    "soll", "muss", "wollen", "will", "gibt", "geben", "machen", "macht", "neue", "neuen",
    "erste", "ersten", "zwei", "drei", "eins", "ja", "nein", "ihnen", "uns", "mich", "dich",
    "ihm", "ihn", "einfach", "dabei", "dazu", "damit", "darauf", "daher", "denn", "doch",
}

NAVIGATION = {
    "weiterlesen", "mehr lesen", "nach oben", "zum inhalt springen", "inhaltsverzeichnis",
    "zurück", "weiter", "startseite", "menü", "teilen", "diese seite bearbeiten", "drucken",
    "im browser ansehen", "kommentare",
}

# Endings of words that are rarely a topic on their own (verb forms, adverbs).
WEAK_ENDINGS = ()

# The preheader of an email without any prose (its number and its subject).
NO_PROSE = "Teil {n} von {total}: {subject}"
