"""Spanish word lists for the planner (see dripmail.planning.words)."""

DANGLING = {
    "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "y", "e", "o", "u", "pero",
    "sino", "con", "por", "para", "en", "de", "del", "al", "a", "sobre", "entre", "sin",
    "hacia", "desde", "hasta", "según", "que", "quien", "cuyo", "cuya", "donde", "cuando",
    "como", "si", "es", "son", "fue", "ser", "está", "están", "ha", "han", "no", "ni", "se",
    "su", "sus", "mi", "mis", "tu", "tus", "nuestro", "nuestra", "vuestro", "este", "esta",
    "estos", "estas", "ese", "esa", "esos", "esas", "muy", "más", "menos",
}

GENERIC = {
    "introducción", "conclusión", "conclusiones", "resumen", "resumiendo", "apéndice",
    "anexo", "prefacio", "prólogo", "epílogo", "contexto", "índice", "referencias",
    "agradecimientos", "en resumen", "para terminar", "primeros pasos", "próximos pasos",
    "visión general", "descripción general", "varios",
}

STOP = {
    "aquí", "allí", "ahora", "entonces", "también", "todavía", "ya", "siempre", "nunca",
    "todo", "todos", "toda", "todas", "otro", "otra", "otros", "otras", "mismo", "misma",
    "puede", "pueden", "debe", "hay", "hacer", "hace", "tener", "tiene", "ejemplo",
    "por ejemplo", "etc", "sí", "él", "ella", "ellos", "ellas", "nosotros", "usted",
    "ustedes", "yo", "tú", "primero", "primera", "dos", "tres", "bien", "así", "pues",
    "sin embargo",
}

NAVIGATION = {
    "leer más", "seguir leyendo", "volver arriba", "ir al contenido", "índice", "anterior",
    "siguiente", "inicio", "menú", "compartir", "editar esta página", "imprimir",
    "ver en el navegador", "comentarios",
}

# Endings of words that are rarely a topic on their own (verb forms, adverbs).
WEAK_ENDINGS = ("mente",)

# The preheader of an email without any prose (its number and its subject).
NO_PROSE = "Parte {n} de {total}: {subject}"
