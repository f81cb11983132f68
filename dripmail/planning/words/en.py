"""English word lists for the planner (see dripmail.planning.words)."""

DANGLING = {
    "a", "an", "the", "of", "to", "for", "and", "or", "but", "nor", "in", "on", "at", "with",
    "from", "by", "into", "onto", "as", "is", "are", "was", "were", "be", "been", "being",
    "isn't", "isn’t", "your", "my", "our", "their", "his", "her", "its", "this", "that",
    "these", "those", "only", "than", "then", "so", "if", "when", "while", "which", "who",
    "whose", "how", "why", "what", "where", "not", "no", "very", "just", "about", "over",
    "under", "between", "through", "can", "will", "would", "should", "could", "do", "does",
    "did", "has", "have", "had", "we", "you", "they", "i", "it", "via", "per", "upon",
    "without", "within", "after", "before", "during", "since", "until", "because", "also",
    "more", "most", "some", "any", "each", "every", "all", "both", "either", "neither",
}

GENERIC = {
    "introduction", "intro", "conclusion", "conclusions", "summary", "overview",
    "final thoughts", "final words", "wrapping up", "wrap up", "wrap-up", "closing thoughts",
    "closing words", "in conclusion", "in summary", "to sum up", "background", "preface",
    "foreword", "abstract", "contents", "table of contents", "references", "notes", "appendix",
    "epilogue", "prologue", "getting started", "next steps", "faq", "resources", "tl;dr",
    "tldr", "recap", "afterword", "acknowledgements", "acknowledgments", "discussion",
    "the end", "thanks", "thank you", "further reading", "see also", "misc", "miscellaneous",
    "general", "details", "more", "update", "updates", "postscript", "p.s.", "ps",
}

STOP = {
    "also", "here", "there", "now", "then", "well", "even", "still", "yet", "again", "much",
    "many", "such", "own", "same", "other", "another", "first", "second", "last", "next",
    "new", "old", "good", "great", "really", "quite", "rather", "often", "always", "never",
    "sometimes", "usually", "may", "might", "must", "shall", "get", "gets", "got", "make",
    "makes", "made", "use", "used", "uses", "using", "see", "seen", "let", "lets", "let's",
    "like", "way", "ways", "thing", "things", "lot", "lots", "one", "ones", "two", "three",
    "me", "us", "them", "him", "she", "he", "mine", "yours", "ours", "theirs", "it's", "it’s",
    "i'm", "i’m", "you're", "you’re", "we're", "we’re", "they're", "they’re", "don't",
    "don’t", "doesn't", "doesn’t", "can't", "can’t", "won't", "won’t", "that's", "that’s",
    "there's", "there’s", "here's", "here’s", "what's", "what’s", "e.g", "i.e", "etc", "yes",
    "say", "says", "said", "want", "wants", "need", "needs", "know", "knows", "take", "takes",
    "go", "goes", "going", "come", "comes", "give", "gives", "put", "set", "find", "look",
    "try", "think", "seem", "seems", "become", "becomes", "keep", "keeps", "able", "example",
    "examples", "section", "chapter", "part", "following", "above", "below", "simply",
    "actually", "probably", "perhaps", "maybe", "whether", "however", "therefore", "thus",
    "though", "although", "instead", "already", "enough", "too", "less", "least", "few",
    "little", "something", "anything", "everything", "nothing", "someone", "anyone",
    "everyone", "people", "time", "times", "case", "cases", "point", "fact", "ever", "every",
    "i've", "i’ve", "we've", "we’ve", "you've", "you’ve", "they've", "they’ve", "i'd", "i’d",
    "we'd", "we’d", "you'd", "you’d", "i'll", "i’ll", "we'll", "we’ll", "you'll", "you’ll",
    "it'll", "it’ll", "isn't", "isn’t", "aren't", "aren’t", "wasn't", "wasn’t", "didn't",
    "didn’t", "haven't", "haven’t", "hasn't", "hasn’t", "wouldn't", "wouldn’t", "couldn't",
    "couldn’t", "shouldn't", "shouldn’t", "let’s", "around", "along", "away", "back",
    "down", "up", "out", "off", "once", "twice", "far", "long", "whole", "certain", "sure",
    "kind", "kinds", "sort", "sorts", "bit", "means", "mean", "called", "call",
    "work", "works", "working", "possible", "important", "different", "various",
    "several", "click", "clicks", "select", "press", "choose", "tap", "type", "today",
    "yesterday", "tomorrow", "year", "years", "day", "days", "week",
}

NAVIGATION = {
    "read more", "continue reading", "back to top", "skip to content", "skip to main content",
    "table of contents", "previous", "next", "home", "menu", "share", "tweet", "permalink",
    "edit this page", "view source", "print", "subscribe", "sign up", "log in", "comments",
    "leave a comment", "view in browser",
}

# Endings of words that are rarely a topic on their own (verb forms, adverbs).
WEAK_ENDINGS = ("ed", "ly")

# The preheader of an email without any prose (its number and its subject).
NO_PROSE = "Part {n} of {total}: {subject}"
