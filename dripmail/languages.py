"""What the writing rules and checks need to know about each shipped language: the one store of
per-language words (planning, reading and checks all read it).

One :class:`Language` per language dripmail ships (en, de, fr, es, it, nl, pt, sv, pl, ar, he):
the words a cut must not end on, words that carry no topic alone, page navigation, generic
headings, words that number a section, vague link texts, wordy phrases with their plainer
forms, common acronyms, relative-time wording, quotation marks, whether the script has capitals,
and which published reading-ease formula scores it. :func:`language` finds the entry for any
BCP 47 tag ("de-AT" -> German); a language not listed gets None, and the rules that need its
words say so instead of guessing (the planner uses English ones).

Sources, per field (each list is the common core, not a dictionary):

- quotes: CLDR 41, `common/main/<lang>.xml` `<delimiters>` (missing values inherit from
  `root.xml`: “ ” ‘ ’); regional tables where CLDR tailors them (fr-CH, pt-PT). Babel does not
  carry CLDR's delimiters, so they are copied here. French puts a narrow no-break space inside
  guillemets (Lexique des règles typographiques en usage à l'Imprimerie nationale, 2002).
- direction and script case: CLDR `characterOrder` (also :func:`direction` via Babel, for any
  language); Arabic and Hebrew scripts have no letter case (Unicode chapters 9.1 and 9.2).
- function words: the closed-class words (articles, prepositions, conjunctions, possessive
  determiners, pronouns, short auxiliaries) of each language's grammar; for en, de, fr and es
  the planner's lists (dripmail/planning/words/, merged here in issue 16) joined with the
  checks'. Stop words, navigation and weak endings: the planner's lists for those four, the
  same kinds of word for the others (each language's commonest adverbs, pronouns, numerals and
  light verbs; the link texts of blog and documentation themes).
- section words: the words that number a step, chapter, part, lesson or exercise.
- generic headings, vague link texts: WCAG 2.2 SC 2.4.4 and failure F84 ("click here",
  "more"), in each language's usual wording.
- wordy phrases: the plain-language guides of each language: plainlanguage.gov "Use simple words
  and phrases" (en); Bundesverwaltungsamt, "Bürgernahe Verwaltungssprache" (de); COSLA,
  "Lexique des termes administratifs" (fr); "Manual de estilo del lenguaje administrativo" and
  Fundéu (es); "Guida alla redazione degli atti amministrativi", ITTIG-CNR 2011 (it); "Direct
  Duidelijk" / Stichting Klare Taal (nl); "Linguagem Simples" guides (pt); Språkrådet,
  "Myndigheternas skrivregler" (sv); "Jak pisać prostym językiem", Pracownia Prostej
  Polszczyzny, Uniwersytet Wrocławski (pl); Arabic and Hebrew style guides' lists of
  bureaucratic padding (a short list: their rules attach prepositions to the next word, so only
  free-standing phrases are listed).
- relative time: emailbasedcourse.beehiiv.com ("don't use words like yesterday, today or
  tomorrow"), each language's words for yesterday, tomorrow, tonight and "today's email".
- reading-ease formula: see dripmail/checks/readability.py, which holds each formula with its
  published constants and citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Quotes:
    """Quotation marks: primary and secondary (nested) open/close, and the space French puts
    inside them ("" for none)."""

    open: str
    close: str
    inner_open: str
    inner_close: str
    space: str = ""


@dataclass(frozen=True, slots=True)
class Language:
    """The data of one shipped language (see the module docstring for sources)."""

    code: str  # ISO 639-1
    name: str  # English name, for messages
    quotes: Quotes
    function_words: frozenset[str]  # lower case; a cut must not end on one
    generic_headings: frozenset[str]  # lower case, no final punctuation
    vague_links: frozenset[str]  # lower case link texts that do not say where they go
    wordy: tuple[tuple[str, str], ...]  # (phrase, plainer), lower case, straight apostrophes
    acronyms: frozenset[str]  # upper case words that are not shouting
    relative_time: str  # a regular expression (with its own flags) for time-relative wording
    abbreviations: tuple[str, ...] = ()  # dotted abbreviations that do not end a sentence
    reading_ease: str | None = None  # formula id in dripmail.checks.readability.FORMULAS
    has_case: bool = True  # the script has capital letters
    rtl: bool = False
    stop: frozenset[str] = frozenset()  # words that carry no topic alone (with function_words)
    navigation: frozenset[str] = frozenset()  # page furniture: link texts and lines, lower case
    weak_endings: tuple[str, ...] = ()  # endings of words rarely a topic alone (verbs, adverbs)
    section_words: tuple[str, ...] = ()  # words that number a section ("Step 3: …"), lower case

    @property
    def direction(self) -> str:
        """"rtl" or "ltr"."""
        return "rtl" if self.rtl else "ltr"


def _set(words: str) -> frozenset[str]:
    """A frozenset from a "|"-separated list (entries may hold spaces)."""
    return frozenset(w.strip() for w in words.split("|") if w.strip())


# (no acronym that is also a short word in capitals: IT, US, AM, ONE)
_ACRONYMS_ANY = "OK|FAQ|PDF|URL|HTML|SMS|GPS|TV|DJ|PC|USB|WLAN|WIFI|CEO|PS|AI|KI|HR|DNA|VIP"

EN = Language(
    "en", "English", Quotes("“", "”", "‘", "’"),
    _set("a|about|after|all|also|an|and|any|are|as|at|be|because|been|before|being|between|both"
         "|but|by|can|could|did|do|does|during|each|either|every|for|from|had|has|have|her|his"
         "|how|i|if|in|into|is|isn't|isn’t|it|its|just|more|most|my|neither|no|nor|not|of|on"
         "|only|onto|or|our|over|per|should|since|so|some|than|that|the|their|then|these|they"
         "|this|those|through|to|under|until|upon|very|via|was|we|were|what|when|where|which"
         "|while|who|whose|why|will|with|within|without|would|you|your"),
    _set("abstract|acknowledgements|acknowledgments|afterword|appendix|background"
         "|closing thoughts|closing words|conclusion|conclusions|contents|details|discussion"
         "|epilogue|faq|final thoughts|final words|foreword|further reading|general"
         "|getting started|in conclusion|in summary|intro|introduction|key takeaways|misc"
         "|miscellaneous|more|next steps|notes|overview|p.s.|postscript|preface|prologue|ps"
         "|recap|references|resources|see also|summary|table of contents|takeaways|thank you"
         "|thanks|the end|tl;dr|tldr|to sum up|update|updates|wrap up|wrap-up|wrapping up"),
    _set("click here|here|read more|learn more|more|click|this link|link|this|find out more"
         "|more info|go|continue"),
    (("in order to", "to"), ("due to the fact that", "because"),
     ("at this point in time", "now"), ("at the present time", "now"),
     ("in the event that", "if"), ("for the purpose of", "to"), ("with regard to", "about"),
     ("in spite of the fact that", "although"), ("prior to", "before"),
     ("a large number of", "many"), ("in the near future", "soon"),
     ("has the ability to", "can")),
    _set(_ACRONYMS_ANY + "|USA|UK|EU|UN|NASA|NHS|BBC|ADHD|PTSD|OCD|CBT|DBT|EMDR|ASD"
         "|LGBTQ|RSVP|ASAP|FYI|DIY|TBD"),
    r"(?i)\b(?=[yt])(?:yesterday|tomorrow|tonight|today['’]s\s+"
    r"(?:email|lesson|message|issue|letter|post|mail))\b",
    ("Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "vs.", "etc.", "e.g.", "i.e.",
     "approx.", "No.", "Fig."),
    reading_ease="flesch",
    stop=_set("able|above|actually|again|along|already|also|although|always|another"
              "|anyone|anything|aren't|aren’t|around|away|back|become|becomes|below|bit"
              "|call|called|can't|can’t|case|cases|certain|chapter|choose|click|clicks"
              "|come|comes|couldn't|couldn’t|day|days|didn't|didn’t|different|doesn't"
              "|doesn’t|don't|don’t|down|e.g|enough|etc|even|ever|every|everyone"
              "|everything|example|examples|fact|far|few|find|first|following|get|gets"
              "|give|gives|go|goes|going|good|got|great|hasn't|hasn’t|haven't|haven’t"
              "|he|here|here's|here’s|him|however|i'd|i'll|i'm|i've|i.e|important"
              "|instead|isn't|isn’t|it'll|it's|it’ll|it’s|i’d|i’ll|i’m|i’ve|keep|keeps"
              "|kind|kinds|know|knows|last|least|less|let|let's|lets|let’s|like|little"
              "|long|look|lot|lots|made|make|makes|many|may|maybe|me|mean|means|might"
              "|mine|much|must|need|needs|never|new|next|nothing|now|off|often|old|once"
              "|one|ones|other|ours|out|own|part|people|perhaps|point|possible|press"
              "|probably|put|quite|rather|really|said|same|say|says|second|section|see"
              "|seem|seems|seen|select|set|several|shall|she|shouldn't|shouldn’t|simply"
              "|someone|something|sometimes|sort|sorts|still|such|sure|take|takes|tap"
              "|that's|that’s|theirs|them|then|there|there's|therefore|there’s|they're"
              "|they've|they’re|they’ve|thing|things|think|though|three|thus|time|times"
              "|today|tomorrow|too|try|twice|two|type|up|us|use|used|uses|using|usually"
              "|various|want|wants|wasn't|wasn’t|way|ways|we'd|we'll|we're|we've|week"
              "|well|we’d|we’ll|we’re|we’ve|what's|what’s|whether|whole|won't|won’t"
              "|work|working|works|wouldn't|wouldn’t|year|years|yes|yesterday|yet|you'd"
              "|you'll|you're|you've|yours|you’d|you’ll|you’re|you’ve"),
    navigation=_set("back to top|comments|continue reading|edit this page|home"
                    "|leave a comment|log in|menu|next|permalink|previous|print|read more"
                    "|share|sign up|skip to content|skip to main content|subscribe"
                    "|table of contents|tweet|view in browser|view source"),
    weak_endings=('ed', 'ly'),
    section_words=tuple("step chapter section part appendix lesson stage phase".split()),
)

DE = Language(
    "de", "German", Quotes("„", "“", "‚", "‘"),
    _set("aber|als|am|an|auch|auf|aus|bei|beim|bis|das|dass|daß|dein|deine|dem|den|denn|der|des"
         "|die|doch|du|durch|ein|eine|einem|einen|einer|eines|er|es|euer|eure|für|gegen|haben"
         "|hat|ich|ihr|ihre|im|in|ist|kann|kein|keine|man|mein|meine|mit|nach|nicht|noch|nur|ob"
         "|oder|ohne|sein|seine|sich|sie|sind|so|sondern|um|und|unser|unsere|unter|vom|von|vor"
         "|war|weil|wenn|werden|wie|wir|wird|zu|zum|zur|über"),
    _set("abschließende gedanken|anhang|ausblick|danksagung|einführung|einleitung|erste schritte"
         "|fazit|hintergrund|inhalt|inhaltsverzeichnis|literatur|nachwort|nächste schritte"
         "|quellen|schluss|schlussfolgerung|schlussgedanken|schlusswort|sonstiges|vorwort"
         "|weiterführende links|zum schluss|zusammenfassung|überblick|übersicht"),
    _set("hier klicken|klicken sie hier|klick hier|hier|mehr|mehr lesen|weiterlesen|mehr erfahren"
         "|mehr infos|dieser link|link|klicken|weiter"),
    (("zum gegenwärtigen zeitpunkt", "jetzt"), ("aufgrund der tatsache, dass", "weil"),
     ("in bezug auf", "zu, über"), ("zum zwecke", "für, zum"), ("im rahmen von", "bei, in"),
     ("zur anwendung bringen", "anwenden"), ("in erwägung ziehen", "erwägen"),
     ("unter berücksichtigung", "mit"), ("eine entscheidung treffen", "entscheiden"),
     ("in kenntnis setzen", "informieren")),
    _set(_ACRONYMS_ANY + "|EU|USA|UN|UNO|NATO|BRD|DDR|ARD|ZDF|TÜV|ADHS|ADS|PTBS|KVT|DBT|EMDR"
         "|ACT|AG|DIN|EDV|LKW|PKW"),
    r"\b(?:(?i:vorgestern|gestern|übermorgen|heute abend|heute nacht"
    r"|heutigen? (?:e-mail|mail|lektion|nachricht|folge|ausgabe|brief))"
    r"|(?<!heute )(?<!Heute )morgen)\b",
    ("z. B.", "z.B.", "d. h.", "d.h.", "u. a.", "u.a.", "usw.", "bzw.", "ca.", "evtl.", "ggf.",
     "Dr.", "Prof.", "Nr.", "vgl.", "etc.", "inkl.", "S.", "Hr.", "Fr.", "bspw.", "z. T."),
    reading_ease="amstad",
    stop=_set("alle|alles|also|beispiel|beispielsweise|bzw|dabei|daher|damit|dann"
              "|darauf|dazu|denn|dich|diese|diesem|diesen|dieser|dieses|doch|dort|drei"
              "|einfach|eins|erste|ersten|etc|etwa|geben|gibt|hier|ihm|ihn|ihnen|immer"
              "|ja|jede|jeder|jedes|jetzt|können|machen|macht|mehr|mich|muss|müssen"
              "|nein|neue|neuen|nie|oft|schon|sehr|soll|sollen|uns|usw|viel|viele|wann"
              "|warum|was|welche|welcher|wer|will|wo|wollen|z.b|zwei"),
    navigation=_set("diese seite bearbeiten|drucken|im browser ansehen|inhaltsverzeichnis"
                    "|kommentare|mehr lesen|menü|nach oben|startseite|teilen|weiter"
                    "|weiterlesen|zum inhalt springen|zurück"),
    weak_endings=(),
    section_words=tuple("schritt kapitel abschnitt teil anhang lektion stufe übung".split()),
)

FR = Language(
    "fr", "French", Quotes("«", "»", "«", "»", space="\u202f"),
    _set("a|au|aux|avec|car|ce|ces|cet|cette|chez|comme|d'|dans|de|des|donc|dont|du|d’|elle"
         "|elles|en|entre|est|et|il|ils|j'|je|j’|l'|la|le|les|leur|leurs|l’|ma|mais|mes|mon|n'"
         "|ne|ni|nos|notre|nous|n’|on|ont|or|ou|où|par|pas|plus|pour|qu'|quand|que|qui|qu’|s'|sa"
         "|sans|se|selon|ses|si|son|sont|sous|sur|s’|ta|tes|ton|très|un|une|vers|vos|votre|vous"
         "|à"),
    _set("annexe|annexes|aperçu|avant-propos|conclusion|conclusions|contexte|divers|en bref"
         "|en résumé|introduction|introduction générale|pour aller plus loin|pour conclure"
         "|pour finir|premiers pas|prochaines étapes|préface|remerciements|références|résumé"
         "|sommaire|synthèse|table des matières|vue d'ensemble|vue d’ensemble"),
    _set("cliquez ici|clique ici|cliquer ici|ici|en savoir plus|lire la suite|lire plus|plus"
         "|ce lien|lien|cliquez|suite|voir plus"),
    (("afin de", "pour"), ("en raison du fait que", "parce que"),
     ("à l'heure actuelle", "maintenant"),
     ("dans le cadre de", "dans, pour"), ("en ce qui concerne", "pour, sur"),
     ("dans l'éventualité où", "si"),
     ("au niveau de", "pour, dans"), ("être en mesure de", "pouvoir"),
     ("compte tenu du fait que", "comme")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|USA|SNCF|RATP|TDAH|TSPT|TOC|TCC|EMDR|PME|TVA|RER|SAMU"),
    r"(?i)\b(?:avant-hier|hier|après-demain|demain|ce soir|cette nuit"
    r"|(?:l['’]|le |la |du |de la )?(?:e-mail|email|mail|courriel|leçon|message|lettre)"
    r" d['’]aujourd['’]hui)\b",
    ("M.", "Mme.", "Mlle.", "Dr.", "etc.", "p. ex.", "cf.", "env.", "av.", "apr."),
    reading_ease="kandel-moles",
    stop=_set("ainsi|alors|aussi|autre|autres|avoir|bien|c'est|cependant|c’est|deux"
              "|doit|donc|déjà|encore|etc|eux|exemple|faire|fait|faut|ici|il y a|jamais"
              "|lui|là|maintenant|moi|même|mêmes|non|oui|par exemple|peut|peuvent"
              "|pourtant|premier|première|soi|souvent|toi|toujours|tous|tout|toute"
              "|toutes|trois|y|être"),
    navigation=_set("accueil|aller au contenu|commentaires|en savoir plus|haut de page"
                    "|imprimer|lire la suite|menu|modifier cette page|partager|précédent"
                    "|retour en haut|suivant|table des matières|voir dans le navigateur"),
    weak_endings=('ement',),
    section_words=tuple("étape chapitre section partie annexe leçon exercice".split()),
)

ES = Language(
    "es", "Spanish", Quotes("«", "»", "“", "”"),
    _set("a|al|como|con|cuando|cuya|cuyo|de|del|desde|donde|e|el|en|entre|es|esa|esas|ese|esos"
         "|esta|estas|este|estos|está|están|fue|ha|hacia|han|hasta|la|las|lo|los|menos|mi|mis"
         "|muy|más|ni|no|nuestra|nuestro|o|para|pero|por|que|quien|se|según|ser|si|sin|sino"
         "|sobre|son|su|sus|tu|tus|u|un|una|unas|unos|vuestra|vuestro|y"),
    _set("agradecimientos|anexo|antecedentes|apéndice|conclusiones|conclusión|contexto"
         "|descripción general|en resumen|epílogo|introducción|panorama general|para terminar"
         "|prefacio|primeros pasos|prólogo|próximos pasos|referencias|reflexiones finales"
         "|resumen|resumiendo|varios|visión general|índice"),
    _set("haz clic aquí|haga clic aquí|clic aquí|pulsa aquí|pincha aquí|aquí|leer más|más"
         "|más información|este enlace|enlace|haz clic|ver más|seguir leyendo"),
    (("a fin de", "para"), ("debido al hecho de que", "porque"),
     ("en el momento actual", "ahora"), ("con respecto a", "sobre"),
     ("en el caso de que", "si"), ("llevar a cabo", "hacer"), ("a nivel de", "en"),
     ("en relación con", "sobre"), ("con el objeto de", "para"),
     ("tomar una decisión", "decidir")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|EEUU|EE|UU|TDAH|TEPT|TOC|TCC|EMDR|IVA|DNI|ONG"),
    r"(?i)\b(?:anteayer|ayer|pasado mañana|esta noche"
    r"|(?<!la )(?<!las )(?<!esta )(?<!cada )(?<!una )mañana"
    r"|(?:el |la )?(?:correo|email|e-mail|mensaje|lección|boletín|carta) de hoy)\b",
    ("Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "p. ej.", "etc.", "pág.", "aprox.", "Ud.", "Uds."),
    reading_ease="fernandez-huerta",
    stop=_set("ahora|allí|aquí|así|bien|debe|dos|ejemplo|ella|ellas|ellos|entonces|etc"
              "|hace|hacer|hay|misma|mismo|nosotros|nunca|otra|otras|otro|otros"
              "|por ejemplo|primera|primero|puede|pueden|pues|siempre|sin embargo|sí"
              "|también|tener|tiene|toda|todas|todavía|todo|todos|tres|tú|usted|ustedes"
              "|ya|yo|él"),
    navigation=_set("anterior|comentarios|compartir|editar esta página|imprimir|inicio"
                    "|ir al contenido|leer más|menú|seguir leyendo|siguiente"
                    "|ver en el navegador|volver arriba|índice"),
    weak_endings=('mente',),
    section_words=tuple("paso capítulo sección parte apéndice lección fase ejercicio".split()),
)

IT = Language(
    "it", "Italian", Quotes("«", "»", "“", "”"),
    _set("il|lo|la|i|gli|le|l'|l’|un|uno|una|un'|un’|e|ed|o|ma|che|di|del|della|dei|delle"
         "|a|al|alla|ai|da|dal|in|nel|nella|con|su|sul|per|tra|fra|è|sono|ha|non|mio|mia|tuo"
         "|tua|suo|sua|nostro|nostra|vostro|vostra|loro"),
    _set("introduzione|conclusione|conclusioni|riepilogo|sintesi|panoramica|premessa|contesto"
         "|in sintesi|prossimi passi|considerazioni finali"),
    _set("clicca qui|cliccate qui|fai clic qui|qui|leggi di più|scopri di più|continua a leggere"
         "|di più|altro|questo link|link|clicca|leggi tutto"),
    (("al fine di", "per"), ("in ordine a", "su"), ("per quanto concerne", "su"),
     ("nel caso in cui", "se"), ("a causa del fatto che", "perché"),
     ("al momento attuale", "ora"), ("porre in essere", "fare"), ("in relazione a", "su"),
     ("prendere una decisione", "decidere")),
    _set(_ACRONYMS_ANY + "|UE|ONU|NATO|USA|ADHD|DSA|PTSD|DOC|TCC|EMDR|IVA|RAI|ASL|SPA|SRL"),
    r"(?i)\b(?:l['’]altro ieri|ieri|dopodomani|domani|stasera|stanotte|questa sera"
    r"|(?:l['’]|la |il )?(?:e-mail|email|mail|lezione|messaggio|lettera|newsletter)"
    r" di oggi)\b",
    ("Sig.", "Sig.ra", "Dott.", "Dr.", "ecc.", "p. es.", "pag.", "ca.", "n."),
    reading_ease="gulpease",
    stop=_set("ad esempio|adesso|altra|altri|altro|anche|ancora|avere|bene|ci|come|così"
              "|deve|dove|due|ecc|esempio|essere|fa|fare|già|io|lei|lui|là|lì|mai|meno"
              "|molte|molti|molto|ne|noi|ora|per esempio|perché|però|più|poi|possono"
              "|prima|primo|può|qua|quando|quella|quello|questa|queste|questi|questo"
              "|qui|quindi|se|sempre|si|spesso|stessa|stesso|sì|tre|tu|tuttavia|tutte"
              "|tutti|tutto|voi"),
    navigation=_set("commenti|condividi|continua a leggere|home|indice|leggi di più|menu"
                    "|modifica questa pagina|precedente|stampa|successivo|torna su"
                    "|vai al contenuto|visualizza nel browser"),
    weak_endings=('mente',),
    section_words=tuple("passo fase capitolo sezione parte appendice lezione esercizio".split()),
)

NL = Language(
    "nl", "Dutch", Quotes("‘", "’", "“", "”"),
    _set("de|het|een|en|of|maar|want|dus|dat|die|van|in|op|aan|met|voor|naar|bij|uit|om"
         "|over|door|tot|tegen|zonder|is|zijn|was|heeft|wordt|niet|mijn|jouw|je|zijn|haar"
         "|ons|onze|jullie|hun|uw"),
    _set("inleiding|introductie|conclusie|samenvatting|overzicht|achtergrond|tot slot"
         "|slotgedachten|volgende stappen|afsluiting"),
    _set("klik hier|klik|hier|lees meer|meer lezen|meer informatie|meer info|meer|deze link"
         "|link|verder lezen|lees verder"),
    (("met betrekking tot", "over"), ("ten behoeve van", "voor"),
     ("in het kader van", "bij, voor"), ("teneinde", "om"), ("in verband met", "door, over"),
     ("middels", "met"), ("ten aanzien van", "over"),
     ("op grond van het feit dat", "omdat"), ("een beslissing nemen", "beslissen")),
    _set(_ACRONYMS_ANY + "|EU|VN|NAVO|VS|USA|ADHD|PTSS|OCS|CGT|EMDR|BTW|NOS|KNMI|GGZ|BV|NV"),
    r"(?i)\b(?:eergisteren|gisteren|overmorgen|(?<!de )(?<!'s )(?<!’s )morgen(?!s)"
    r"|vanavond|vannacht|(?:de )?(?:e-mail|mail|les|nieuwsbrief|brief) van vandaag)\b",
    ("bijv.", "d.w.z.", "o.a.", "enz.", "dhr.", "mevr.", "dr.", "ca.", "nr.", "m.b.t.", "i.p.v."),
    reading_ease="douma",
    stop=_set("al|alle|alles|altijd|bijvoorbeeld|daar|dan|deze|dit|doen|drie|echter"
              "|eerste|elk|elke|enz|er|erg|gaan|goed|heel|hier|hij|hoe|ieder|iedere|ik"
              "|ja|jij|kan|komen|kunnen|maken|meer|men|minder|moet|moeten|nee|nog|nooit"
              "|nu|ook|toch|twee|vaak|veel|waar|waarom|wanneer|wat|we|wie|wij|wil"
              "|willen|zal|ze|zij|zo|zullen"),
    navigation=_set("afdrukken|bekijk in browser|delen|deze pagina bewerken|home"
                    "|inhoudsopgave|lees meer|menu|naar inhoud|reacties|terug naar boven"
                    "|verder lezen|volgende|vorige"),
    weak_endings=(),
    section_words=tuple("stap hoofdstuk sectie deel bijlage fase oefening".split()),
)

PT = Language(
    "pt", "Portuguese", Quotes("“", "”", "‘", "’"),
    _set("o|a|os|as|um|uma|uns|umas|e|ou|mas|que|de|do|da|dos|das|em|no|na|nos|nas|com"
         "|por|pelo|pela|para|sem|sobre|entre|até|é|são|está|tem|não|meu|minha|teu|tua|seu"
         "|sua|nosso|nossa|se"),
    _set("introdução|conclusão|conclusões|resumo|visão geral|contexto|considerações finais"
         "|em resumo|próximos passos|para terminar"),
    _set("clique aqui|clica aqui|aqui|leia mais|saiba mais|mais|este link|link|clique"
         "|ver mais|continue lendo|continuar a ler"),
    (("a fim de", "para"), ("devido ao fato de que", "porque"),
     ("devido ao facto de", "porque"), ("no momento atual", "agora"),
     ("com relação a", "sobre"), ("no caso de", "se"), ("levar a cabo", "fazer"),
     ("tomar uma decisão", "decidir"), ("em virtude de", "por"),
     ("no que diz respeito a", "sobre"), ("dar início a", "começar")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|EUA|TDAH|TEPT|TOC|TCC|EMDR|SUS|INSS|CPF|IVA|ONG"),
    r"(?i)\b(?:anteontem|ontem|depois de amanhã|amanhã|hoje à noite|esta noite"
    r"|(?:o |a )?(?:e-mail|email|mensagem|lição|aula|carta|newsletter) de hoje)\b",
    ("Sr.", "Sra.", "Dr.", "Dra.", "p. ex.", "etc.", "pág.", "aprox.", "V. Exa."),
    reading_ease="martins",
    stop=_set("agora|ainda|ali|aqui|assim|bem|como|contudo|deve|dois|duas|ela|elas|ele"
              "|eles|então|essa|esse|esta|este|etc|eu|exemplo|faz|fazer|há|isso|isto|já"
              "|lá|mais|menos|mesma|mesmo|muita|muitas|muito|muitos|nunca|nós|onde"
              "|outra|outras|outro|outros|pode|podem|pois|por exemplo|porque|porém"
              "|primeira|primeiro|quando|sempre|ser|sim|também|ter|toda|todas|todo"
              "|todos|três|tu|você|vocês"),
    navigation=_set("anterior|comentários|compartilhar|continuar a ler|continuar lendo"
                    "|editar esta página|imprimir|início|ir para o conteúdo|leia mais|menu"
                    "|partilhar|próximo|ver no navegador|voltar ao topo|índice"),
    weak_endings=('mente',),
    section_words=tuple("passo etapa capítulo seção secção parte apêndice lição exercício".split()),
)

SV = Language(
    "sv", "Swedish", Quotes("”", "”", "’", "’"),
    _set("en|ett|den|det|de|och|eller|men|att|som|av|i|på|till|för|med|om|från|hos|vid"
         "|under|över|mot|utan|är|var|har|blir|inte|min|mitt|mina|din|ditt|dina|sin|sitt"
         "|sina|vår|vårt|våra|er|ert|era|hans|hennes|deras"),
    _set("inledning|introduktion|sammanfattning|slutsats|slutsatser|översikt|bakgrund"
         "|avslutning|nästa steg|slutord"),
    _set("klicka här|klicka|här|läs mer|mer|mer information|den här länken|länken|länk"
         "|läs vidare|fortsätt läsa"),
    (("i syfte att", "för att"), ("med anledning av", "på grund av, efter"),
     ("i samband med", "vid, när"), ("i nuläget", "nu"), ("i enlighet med", "enligt"),
     ("till följd av", "på grund av"), ("med avseende på", "om"),
     ("fatta ett beslut", "besluta")),
    _set(_ACRONYMS_ANY + "|EU|FN|NATO|USA|ADHD|PTSD|OCD|KBT|DBT|EMDR|SVT|SR|AB|SJ|SCB|BVC"),
    r"(?i)\b(?:i förrgår|i går|igår|i övermorgon|i morgon|imorgon|i kväll|ikväll|i natt|inatt"
    r"|dagens (?:mejl|mail|e-post|e-brev|lektion|brev|nyhetsbrev))\b",
    ("t.ex.", "t. ex.", "bl.a.", "s.k.", "d.v.s.", "dvs.", "osv.", "ca.", "dr.", "nr.", "m.m."),
    reading_ease="lix",
    stop=_set("aldrig|alla|allt|alltid|bra|denna|dessa|detta|dock|du|där|då|första|gå"
              "|gör|göra|han|hon|hur|här|ja|jag|kan|komma|kunna|man|mer|mindre|mycket"
              "|många|måste|nej|ni|nu|när|också|ofta|osv|redan|ska|skall|så|t.ex"
              "|till exempel|tre|två|vad|varför|varje|vem|vi|vill|ännu"),
    navigation=_set("dela|föregående|hem|innehåll|innehållsförteckning|kommentarer|läs mer"
                    "|läs vidare|meny|nästa|redigera sidan|skriv ut|till innehållet"
                    "|till toppen|visa i webbläsaren"),
    weak_endings=(),
    section_words=tuple("steg kapitel avsnitt bilaga lektion fas övning".split()),
)

PL = Language(
    "pl", "Polish", Quotes("„", "”", "«", "»"),
    _set("i|a|o|u|w|we|z|ze|na|do|od|po|za|przez|dla|bez|pod|nad|przed|przy|oraz|albo|lub"
         "|ale|lecz|że|czy|jest|są|był|ma|nie|mój|moja|moje|twój|twoja|jego|jej|nasz|nasza"
         "|wasz|wasza|ich|się|to"),
    _set("wstęp|wprowadzenie|podsumowanie|zakończenie|wnioski|przegląd|tło|kontekst"
         "|kolejne kroki|na koniec"),
    _set("kliknij tutaj|kliknij tu|kliknij|tutaj|tu|czytaj więcej|więcej|dowiedz się więcej"
         "|ten link|link|czytaj dalej|zobacz więcej"),
    (("w celu", "aby, żeby"), ("ze względu na fakt, że", "bo"), ("w chwili obecnej", "teraz"),
     ("na chwilę obecną", "teraz"), ("w związku z powyższym", "dlatego"),
     ("w przypadku gdy", "jeśli"), ("w odniesieniu do", "o"), ("dokonać wyboru", "wybrać"),
     ("podjąć decyzję", "zdecydować")),
    _set(_ACRONYMS_ANY + "|UE|ONZ|NATO|USA|ADHD|PTSD|OCD|CBT|EMDR|NFZ|ZUS|VAT|PKP|RP|SA|SP"),
    r"(?i)\b(?:przedwczoraj|wczoraj|pojutrze|jutro|jutrzejsz\w*|dziś wieczorem"
    r"|dzisiaj wieczorem|dziś w nocy|dzisiejsz\w+ (?:e-mail\w*|mail\w*|lekcj\w+|wiadomoś\w+"
    r"|list\w*|newsletter\w*))\b",
    ("np.", "itp.", "itd.", "tzn.", "tj.", "prof.", "ok.", "m.in.", "ul.", "nr", "dr"),
    reading_ease=None,  # Pisarek's formulas (1969) exist; not shipped (see the checks' notes)
    stop=_set("bardzo|być|chce|co|często|dlaczego|dobrze|dużo|dwa|gdzie|itd|ja|jak"
              "|jednak|jeszcze|już|każda|każdy|kiedy|kto|mieć|mniej|może|można|musi|my"
              "|na przykład|nigdy|np|on|ona|oni|pierwsza|pierwszy|potem|robić|ta|tak"
              "|także|tam|te|tego|tej|ten|teraz|też|trzeba|trzy|tu|ty|wiele|więc|więcej"
              "|wszyscy|wszystko|wy|zawsze"),
    navigation=_set("czytaj dalej|czytaj więcej|do góry|drukuj|edytuj tę stronę|komentarze"
                    "|menu|następny|poprzedni|przejdź do treści|spis treści|strona główna"
                    "|udostępnij|zobacz w przeglądarce"),
    weak_endings=(),
    section_words=tuple("krok rozdział sekcja część dodatek lekcja etap faza ćwiczenie".split()),
)

AR = Language(
    "ar", "Arabic", Quotes("”", "“", "’", "‘"),
    _set("في|من|إلى|على|عن|مع|و|أو|ثم|لكن|أن|إن|التي|الذي|هذا|هذه|ذلك|تلك|هو|هي|لا|لم|لن|قد"
         "|كان|كل|بين|حتى|منذ|عند"),
    _set("مقدمة|المقدمة|خاتمة|الخاتمة|ملخص|الملخص|خلاصة|الخلاصة|نظرة عامة|الخلفية|الخطوات التالية"),
    _set("اضغط هنا|انقر هنا|اضغط|انقر|هنا|اقرأ المزيد|المزيد|هذا الرابط|الرابط|رابط|تابع القراءة"),
    (("في الوقت الحالي", "الآن"), ("في الوقت الحاضر", "الآن"), ("نظرا لأن", "لأن"),
     ("نظرًا لأن", "لأن"), ("بالرغم من حقيقة أن", "مع أن"), ("فيما يتعلق", "عن"),
     ("في حالة ما إذا", "إذا")),
    frozenset(),
    r"(?<!\w)[وف]?(?:أمس|امس|الأمس|بالأمس|البارحة|غدا|غدًا|غداً|بعد غد|الليلة|هذه الليلة"
    r"|رسالة اليوم|درس اليوم|بريد اليوم)(?!\w)",
    reading_ease=None, has_case=False, rtl=True,
    stop=_set("أبدا|أقل|أكثر|أنا|أنت|أنتم|أول|أيضا|أيضًا|أين|اثنان|الآن|بعض|ثلاثة|جدا"
              "|جدًا|جيد|دائما|دائمًا|غالبا|كانت|كثيرا|كيف|لذلك|لماذا|ما|ماذا|متى|مثل"
              "|مثلا|مثلًا|نحن|نعم|هم|هنا|هناك|يجب|يكون|يمكن"),
    navigation=_set("اقرأ المزيد|التالي|التعليقات|الرئيسية|السابق|العودة إلى الأعلى|القائمة"
                    "|المحتويات|انتقل إلى المحتوى|تابع القراءة|شارك|طباعة|عرض في المتصفح"
                    "|مشاركة"),
    weak_endings=(),
    section_words=tuple("الخطوة خطوة الفصل القسم الجزء الملحق الدرس المرحلة التمرين".split()),
)

HE = Language(
    "he", "Hebrew", Quotes("”", "”", "’", "’"),
    _set("של|את|על|עם|אל|מן|או|אבל|גם|כי|אם|זה|זו|זאת|הוא|היא|הם|הן|לא|אין|יש|כל|בין|עד|אחרי"
         "|לפני|כמו|אשר"),
    _set("מבוא|הקדמה|סיכום|לסיכום|מסקנות|סקירה|סקירה כללית|רקע|הצעדים הבאים|דברי סיכום"),
    _set("לחצו כאן|לחץ כאן|לחצי כאן|לחצו|כאן|קראו עוד|קרא עוד|עוד|הקישור הזה|קישור|המשך קריאה"),
    (("על מנת", "כדי"), ("בשל העובדה", "כי"), ("לאור העובדה", "כי"),
     ("בעת הנוכחית", "עכשיו"), ("בנוגע", "על")),
    frozenset(),
    r"(?<!\w)[וש]?(?:אתמול|שלשום|מחרתיים|מחר|הערב|הלילה|המייל של היום|השיעור של היום"
    r"|ההודעה של היום)(?!\w)",
    reading_ease=None, has_case=False, rtl=True,
    stop=_set("אז|איך|איפה|אלה|אנחנו|אני|אף פעם|את|אתה|אתם|היה|הייתה|הם|הרבה|טוב|יותר"
              "|יכול|יכולה|כאן|כבר|כולם|כן|להיות|לכן|למה|למשל|לעשות|לעתים|מאוד|מה|מי"
              "|מתי|עוד|עכשיו|פחות|צריך|צריכה|ראשון|שלושה|שם|שניים|תמיד"),
    navigation=_set("דלג לתוכן|דף הבית|הבא|הדפסה|המשך קריאה|הקודם|חזרה למעלה|צפייה בדפדפן"
                    "|קראו עוד|שיתוף|שתפו|תגובות|תוכן עניינים|תפריט"),
    weak_endings=(),
    section_words=tuple("שלב פרק סעיף חלק נספח שיעור תרגיל".split()),
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in
                                  (EN, DE, FR, ES, IT, NL, PT, SV, PL, AR, HE)}

# CLDR tailors the quotation marks of these regions (see the module docstring).
_REGIONAL_QUOTES = {
    "fr-ch": Quotes("«", "»", "‹", "›"),  # fr_CH.xml; no inner space in Switzerland
    "de-ch": Quotes("«", "»", "‹", "›"),  # de_CH.xml
    "de-li": Quotes("«", "»", "‹", "›"),  # de_LI.xml
    "pt-pt": Quotes("«", "»", "“", "”"),  # pt_PT.xml
}


def primary(tag: str | None) -> str:
    """The primary language subtag of a BCP 47 tag, lower case ("pt-BR" -> "pt")."""
    return (tag or "").strip().replace("_", "-").split("-")[0].lower()


def language(tag: str | None) -> Language | None:
    """The shipped data for a language tag, or None for a language dripmail does not ship."""
    return LANGUAGES.get(primary(tag))


def quotes(tag: str | None) -> Quotes:
    """The quotation marks for a tag: the region's own where CLDR tailors them, the
    language's, else English ones."""
    norm = (tag or "").strip().replace("_", "-").lower()
    for key, marks in _REGIONAL_QUOTES.items():
        if norm == key or norm.startswith(key + "-"):
            return marks
    found = language(tag)
    return found.quotes if found else EN.quotes


@lru_cache(maxsize=64)
def name(tag: str | None) -> str:
    """The English name of a language ("German"), from the shipped data or else Babel (CLDR)."""
    found = language(tag)
    if found:
        return found.name
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(primary(tag) or "und").english_name or str(tag)
    except (ValueError, UnknownLocaleError):
        return str(tag)


@lru_cache(maxsize=64)
def direction(tag: str | None) -> str:
    """"rtl" or "ltr" for any language: the shipped data, else CLDR's characterOrder (Babel),
    which knows scripts too ("az-Arab", "pa-Arab": right to left)."""
    found = language(tag)
    if found:
        return found.direction
    from babel import Locale, UnknownLocaleError

    for code in ((tag or "").strip().replace("_", "-"), primary(tag)):
        try:
            order = Locale.parse(code or "und", sep="-").character_order
        except (ValueError, UnknownLocaleError):
            continue
        return "rtl" if order == "right-to-left" else "ltr"
    return "ltr"
