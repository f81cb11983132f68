"""French word lists for the planner (see dripmail.planning.words)."""

DANGLING = {
    "le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "d'", "d’", "et", "ou",
    "mais", "avec", "pour", "par", "sur", "sous", "dans", "en", "au", "aux", "à", "ce",
    "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "ton",
    "ta", "tes", "notre", "nos", "votre", "vos", "qui", "que", "qu'", "qu’", "dont", "où",
    "si", "quand", "comme", "est", "sont", "a", "ont", "pas", "ne", "n'", "n’", "se", "s'",
    "s’", "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "j'", "j’", "entre",
    "vers", "chez", "sans", "selon", "plus", "très",
}

GENERIC = {
    "introduction", "introduction générale", "conclusion", "conclusions", "résumé", "aperçu",
    "vue d'ensemble", "vue d’ensemble", "annexe", "annexes", "en résumé", "pour conclure",
    "préface", "avant-propos", "contexte", "sommaire", "table des matières", "références",
    "remerciements", "pour aller plus loin", "premiers pas", "prochaines étapes", "divers",
}

STOP = {
    "ici", "là", "maintenant", "alors", "aussi", "encore", "déjà", "toujours", "jamais",
    "souvent", "tout", "tous", "toute", "toutes", "autre", "autres", "même", "mêmes", "peut",
    "peuvent", "doit", "faut", "fait", "faire", "être", "avoir", "c'est", "c’est", "il y a",
    "exemple", "par exemple", "etc", "oui", "non", "lui", "eux", "moi", "toi", "soi", "y",
    "premier", "première", "deux", "trois", "bien", "ainsi", "donc", "cependant", "pourtant",
}

NAVIGATION = {
    "lire la suite", "en savoir plus", "haut de page", "retour en haut", "aller au contenu",
    "table des matières", "précédent", "suivant", "accueil", "menu", "partager",
    "modifier cette page", "imprimer", "voir dans le navigateur", "commentaires",
}

# Endings of words that are rarely a topic on their own (verb forms, adverbs).
WEAK_ENDINGS = ("ement",)

# The preheader of an email without any prose (its number and its subject).
NO_PROSE = "Partie {n} sur {total} : {subject}"
