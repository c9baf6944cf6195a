"""Framing modifiers: who is speaking, scare quotes, distancing and negation.

Works from the outputs of :mod:`framing.segment` (:func:`~framing.segment.sentence_spans` and
:func:`~framing.segment.quote_spans`) and the match offsets of :class:`framing.Matcher`; every
rule is a small regular expression over the sentence around a quotation or a match, so it runs
on any chunk of documents at the speed of the segmenter. No model, no download.

Quotations
----------
Every span of :func:`~framing.segment.quote_spans` is one of three kinds:

``"speech"``
    quoted speech: the quoted words of someone other than the author. It gets a row in
    ``Scores.quotes`` and the matches inside it ``voice="quote"`` and its ``speaker``.
``"scare"``
    a scare quote: the author's own word set off in quotation marks (``The so-called
    "freedom fighters" shelled the village``). A quotation is a scare quote when it is short
    (at most :data:`SCARE_MAX_WORDS` words; the figure comes from the PTC articles, see
    ``benchmarks/bench_modifiers.py``: quotations of up to four words have a reporting cue in
    their sentence far less often than longer ones), holds no sentence punctuation (``. ? ! ,
    ; :``; a comma closing it is the sentence's, American style), is not the title of a work,
    and its sentence has no reporting cue
    (``said``, ``told``, ``called``, ``according to``, ``X:`` ...) that attributes it; a
    quotation right after *so-called* / *self-styled* / *self-proclaimed* is a scare quote
    whatever its sentence. Scare quotes are the author's voice: matches inside get
    ``voice="author"`` and ``distanced=True``; they are **left out** of ``Scores.quotes``
    (which lists quotations of speech only).
``"title"``
    the title of a work (``the documentary "The Long Night"``, ``a report titled "..."``): a
    capitalized quotation right after *book, film, report, song, titled, entitled* and the
    like. Matches inside keep ``voice="quote"`` (the words are the work's, not the
    outlet's) with no speaker; titles are not in ``Scores.quotes`` either.

Speakers
--------
The speaker of a quotation comes from its own sentence, else from the sentences next to it,
in this order:

1. after the quotation: ``"...," said X``, ``"...," X said``, ``"...," X told reporters``,
   ``"...," X, the ..., said``, ``"...," according to X``, ``"...," said witness X``, an
   epigraph's dash ``"..." —X`` (the cue is then ``"—"``);
2. before it, in the same sentence: ``X said (that) ... "..."``, ``X told Reuters: "..."``,
   ``X posted on Instagram: "..."`` (a cue before the colon names the speaker),
   ``According to X, "..."``, ``X: "..."`` when X is the whole clause before the colon (the
   cue is then ``":"``; not ``the paper praised the mayor's triumph: "..."``), a quotation
   that opens on its verb (``Ms. Ford "said she ..."``), ``In a statement, X ... "..."`` (the
   cue is the noun: *statement, interview, tweet, letter* ...), ``X's comment "..."`` (the
   cue is the speech noun: *comment, remark, words, answer, slogan* ...);
3. a quotation with no attribution of its own continues the previous quotation when that one
   ends in the sentence (or paragraph) just before: ``"We will rebuild," Ortiz said. "The city
   deserves it."`` gives both to Ortiz; a quotation left open at a paragraph end takes the
   speaker of the paragraph that continues it;
4. the sentence before, when the quotation opens its sentence: one ending on its cue
   (``She continued.``, ``The minister added:``), or a paraphrase with a named speaker
   before a quotation of whole sentences (``Ortiz said the plan had failed. "It cannot
   pass."``);
5. the next sentence, when it starts with ``X said`` / ``said X``.

A speaker is a name (a run of capitalized words with particles such as *al-*, *bin*, *de*,
*of the*; a title such as *President*, *Gen.* or *Prime Minister* is part of it), a noun
phrase with a determiner (``the ministry``, ``a senior official``), a bare plural
(``officials``, ``witnesses``) or a pronoun. A possessive belongs to the phrase
(``Iran's foreign minister``, ``the company's chief executive``: never ``Iran's`` alone);
an appositive name wins over the role before it (``the study's lead author, Professor
Hannah Weiss, said`` gives the professor) and a person over the organisation after *of*
(``Alex Bastian of the prosecutor's office``); a lone article is no speaker. A pronoun *he*/*she* is kept as written in
``speaker`` and resolved in ``speaker_resolved`` to the nearest preceding named speaker of
the document (else the nearest preceding name of two or more capitalized words, or title +
name, in the three sentences before). ``cue`` is the reporting verb as written, ``"according
to"`` or ``":"``.

Negation
--------
A match is ``negated`` when it is the predicate or object of a negated clause: a negator
(*not, n't, no, never, without, nor, neither, cannot, nobody, no one, none*) at most five words
before it in the same clause (clauses end at ``, ; : ( )`` dashes and *that, which, who,
because, but, and, while, although, whether, if, when* ...): ``the raid was not a massacre``,
``there was no genocide``, ``did not commit a massacre``. Not negated: *not only / not just /
not merely / no doubt / no less*; a verb that turns the negation around between negator and
term (*never stopped its brutal crackdown*, *did not deny the genocide*, *no one doubts that
the occupation continues*, *did not hesitate to*, *did not prevent*); a preposition other than
*of* in between (*did not apologize for the massacre*: the massacre is presupposed);
*never seen X like this / before* (X exists). The *and* of *between X and Y* does not end the
clause (*no link between the drug and heart failure*). A term
that is the subject of *never happened / did not take place / did not exist* is negated too.

Distancing
----------
A match is ``distanced`` when it sits in a scare quote or follows, in its sentence,
*so-called*, *self-styled*, *self-proclaimed*, *self-declared*, *self-described*, *alleged*,
*supposed*, *purported* (at most two words before it); ``what X calls / called / described
as / hailed as / dubbed / terms / labels / brands / refers to as``; ``X calls it a``, ``X
dubbed the group``, ``X describes it as``, ``X branded them``, ``which calls itself a``;
or a passive ``dubbed`` /
``branded`` / ``described as`` / ``hailed as`` / ``billed as`` right before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import islice
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

__all__ = [
    "MATCH_MODIFIER_COLUMNS",
    "QUOTE_COLUMNS",
    "SCARE_MAX_WORDS",
    "MatchModifiers",
    "Quotation",
    "classify_quotations",
    "is_distanced",
    "is_negated",
    "coerce_quotes",
    "match_modifiers",
    "modifier_columns",
    "quotes_table",
]

#: the quotes table of ``Scores.quotes``, plus ``speaker_resolved``
QUOTE_COLUMNS = (
    "doc_id",
    "quote_id",
    "start",
    "end",
    "text",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "speaker_resolved",
)
#: the modifier columns added to the matches table
MATCH_MODIFIER_COLUMNS = ("negated", "distanced", "speaker")
#: longest quotation (in words) that can be a scare quote
SCARE_MAX_WORDS = 4


class Quotation(NamedTuple):
    """One quotation of a text (offsets into the text; speaker offsets -1 when none)."""

    start: int
    end: int
    kind: str  # "speech", "scare" or "title"
    speaker: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1
    cue: str | None = None
    speaker_resolved: str | None = None


class MatchModifiers(NamedTuple):
    """The modifiers of one match."""

    voice: str
    negated: bool
    distanced: bool
    speaker: str | None


_PLAIN = MatchModifiers("author", False, False, None)
_SCARE = MatchModifiers("author", False, True, None)


# ------------------------------------------------------------------------------ word lists
_CUE_WORDS = (
    "said says say saying told tells telling added adds adding stated states declared declares "
    "announced announces wrote writes asked asks replied replies insisted insists argued "
    "argues claimed claims noted notes explained explains warned warns stressed stresses "
    "recalled recalls acknowledged acknowledges admitted admits conceded concedes suggested "
    "suggests tweeted tweets posted shouted shouts cried whispered screamed urged urges vowed "
    "vows promised promises predicted complained complains responded responds countered "
    "concluded observed remarked commented emphasized emphasised alleged alleges maintained "
    "maintains joked boasted pledged quipped affirmed confirmed confirms denied denies "
    "called calls calling described describes describing dubbed labeled labelled branded "
    "termed chanted read reads reiterated repeated testified explained lamented mused "
    "agreed agrees demanded demands thundered tweeted wondered continued continues "
    "reported reports recounted recounts concludes concluded observes pointed explains "
    "shouted yelled pleaded begged protested objected cautioned conceded counters "
    "proclaimed proclaims asserted asserts contended contends opined opines wrote "
    "texted emailed answered answers answering written writing tweeting claiming noting "
    "insisting arguing explaining stressing asserting declaring announcing acknowledging "
    "admitting conceding suggesting urging vowing promising predicting complaining "
    "responding concluding observing remarking commenting emphasizing emphasising alleging "
    "maintaining pledging affirming confirming denying testifying lamenting demanding "
    "reiterating recalling recounting retorted retorts fretted gushed scoffed snapped "
    "sniffed replying contending whines whined huffed huffs blared blares sneered groused "
    "fumed fumes indicated indicates cited cites grumbled grumbles interjected chimed brags "
    "bragged crying exclaimed exclaims citing reminded reminds"
).split()
_CUES = frozenset(_CUE_WORDS)
_CUES_AND_ACCORDING = _CUES | {"according"}
#: cues followed by the person spoken to, never by the speaker
_ADDRESSEE_CUES = frozenset("told tells telling asked asks urged urges reminded reminds".split())
#: last words of names that are not persons (pronouns are not resolved to them)
_NOT_PERSON = frozenset(
    "house ministry department party council syndrome court church news times post office "
    "union army force forces government agency committee commission bank company group "
    "university institute foundation center centre network journal street state states "
    "league association organization organisation senate congress parliament assembly "
    "brigade brigades guard police".split()
)
_LOWER_WORDS = re.compile(r"[a-z]+")
_LOWER_PREFIX_NAME = re.compile(r"[a-z]{1,3}[-’']?[A-Z][a-z]")


def _word_alternation(words: frozenset[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes (a trie: fast in re)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


#: a cue word as a whole run of ``[a-z]`` in lower-cased text (as _LOWER_WORDS finds it)
_CUE_FIND = re.compile(rf"(?<![a-z]){_word_alternation(_CUES_AND_ACCORDING)}(?![a-z])")
_CUE_RE = "|".join(sorted(set(_CUE_WORDS), key=len, reverse=True))
_PRONOUNS = frozenset("he she they it we i you".split())
_PERSON_PRONOUNS = frozenset(("he", "she"))
_BE = frozenset("is was are were been being".split())
#: auxiliaries and copulas: never inside a speaker's noun phrase
_VERBISH = frozenset(
    "is was are were be been being has have had will would can could do does did".split()
)
#: determiners that are never a speaker on their own
_ARTICLES = frozenset("the a an his her their its our".split())
_DETERMINERS = frozenset(
    "the a an one another his her their its our my your two three four several many some "
    "other "
    "both most".split()
)
_ADVERBS = frozenset(
    "also later then previously recently once has had have would will reportedly repeatedly "
    "publicly bluntly flatly again earlier further simply just only privately angrily "
    "calmly quietly loudly tearfully proudly softly firmly told is was are were been being "
    "later".split()
) - {"told"}
_STOP_CAPS = frozenset(
    "but and the in on at yet so then now also however meanwhile still when after before "
    "while although as this that these those it he she they we i his her their our its "
    "there here if because though speaking asked asked by last next on monday tuesday of "
    "for to with from it's it’s that's that’s there's there’s what's what’s he's he’s she's "
    "she’s "
    "wednesday thursday friday saturday sunday".split()
)
_PARTICLES = frozenset("al el bin ibn bint de da di del van von der du la le abu of".split())
_FORWARD_STOP = frozenset(
    "in on at during after before while when who which whose to as that and but from "
    "with by this last since, told said".split()
)
_PLURAL_SPEAKERS = frozenset(
    "officials witnesses residents police analysts critics experts protesters sources "
    "doctors activists authorities observers diplomats investigators prosecutors "
    "researchers scientists officers soldiers lawmakers leaders organizers organisers "
    "supporters opponents survivors families villagers locals rescuers aides campaigners "
    "spokesmen negotiators demonstrators people".split()
)
_WORK_NOUNS = (
    "book|novel|film|movie|documentary|series|show|song|album|single|play|poem|report|"
    "study|article|essay|column|op-ed|editorial|podcast|programme|program|episode|"
    "exhibition|painting|opera|memoir|campaign|paper|speech|sermon|titled|entitled|"
    "headlined|headline|called|named"
)

# ---------------------------------------------------------------------------- patterns
_WORD = re.compile(r"[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|[A-Z]\.|[\w'’]+(?:[-–][\w'’]+)*|[^\w\s]")
_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")
_SPEECH_PUNCT = re.compile(r"[.?!,;:…]")
_FINAL_PUNCT = re.compile(r"[.?!…]")

_SCARE_PREFIX = re.compile(
    r"(?:so[- ]called|self[- ](?:styled|proclaimed|declared|described))\s*$", re.I
)
_TITLE_PREFIX = re.compile(rf"\b(?:{_WORK_NOUNS})\b(?:\s+[\w'’-]+){{0,2}}[\s,:]*$", re.I)
_QUOTE_MARKS = "\"'“”‘’«»„"
_SPACE_AND_MARKS = " \t\n" + _QUOTE_MARKS

# negation
_NEGATOR = re.compile(
    r"\b(?:not|no|never|without|nor|neither|cannot|nobody|none|nothing)\b|n[’']t\b", re.I
)
# the same on lower-cased text, several times faster (the first letter is tested first)
_NEGATOR_LOWER = re.compile(
    r"[nwc](?:(?<=\bn)(?:ot|o|ever|or|either|obody|one|othing)\b|(?<=\bw)ithout\b|"
    r"(?<=\bc)annot\b|(?<=n)[’']t\b)"
)
_NOT_NEGATING = re.compile(
    r"(?:not|no|never)\s+(?:only|just|merely|simply|least|less|more|doubt|question|matter|"
    r"before|longer\s+only|to\s+mention|surprisingly)\b|nothing\s+but\b|\bnone\s+other\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]—–]|\s-\s|\b(?:that|which|who|whom|whose|because|but|and|while|although|"
    r"though|whether|if|when|where|since|unless|until|whereas|yet)\b",
    re.I,
)
_REVERSING = frozenset(
    "stop stops stopped stopping cease ceased ceases end ends ended halt halted quit abandon "
    "abandoned forget forgot forgotten deny denies denied doubt doubts doubted question "
    "questioned dispute disputed hide hid hidden ignore ignored prevent prevented stem "
    "curb curbed escape escaped hesitate hesitated avoid avoided overlook overlooked "
    "shy shied rule ruled".split()
)
_NOMINAL_NEGATORS = frozenset(("no", "without", "neither", "nor"))  # not "nothing to X"
#: "had never seen such brutality" affirms the brutality
_PERCEPTION = frozenset("seen saw witnessed experienced known heard encountered".split())
#: "had never seen prices like this / before": the term is affirmed, only its degree is new
_AFFIRMED_AFTER = re.compile(r"[\s,]+(?:like\s+(?:this|that|these|those|it|them)|before)\b", re.I)
_BLOCKING_PREPOSITIONS = frozenset(
    "for about over after during since in at from against on to with into by before "
    "amid despite behind".split()
)
_SUBJECT_NEGATED = re.compile(
    r"[\s\"”’']*(?:[\w'’-]+\s+){0,2}?(?:never|(?:did|has|had|have|does|do)\s*(?:not|n[’']t)|"
    r"(?:was|were|is|are)\s*(?:not|n[’']t))\s+(?:ever\s+)?(?:happen|happened|occur|occurred|"
    r"take\s+place|took\s+place|taken\s+place|exist|existed|happening)\b",
    re.I,
)


# distancing (searched in the sentence text before the match, anchored at its end)
_NAMING = (
    r"call|calls|called|calling|dub|dubs|dubbed|dubbing|label|labels|labell?ed|labell?ing|"
    r"brand|brands|branded|branding|term|terms|termed|nickname|nicknamed"
)
_NAMING_AS = (
    r"describes?|described|describing|hails?|hailed|hailing|refers?\s+to|referred\s+to|"
    r"characteri[sz]es?|characteri[sz]ed|portray(?:s|ed)?|paints?|painted|sees?|saw|"
    r"views?|viewed|regards?|regarded|bills?|billed|casts?|depicts?|depicted"
)
#: one of these is in every text that _DISTANCING matches (a cheap test first)
_DISTANCING_HINTS = (
    "call",
    "dub",
    "label",
    "brand",
    "term",
    "nicknam",
    "describ",
    "hail",
    "refer",
    "characteri",
    "portray",
    "paint",
    "see",
    "saw",
    "view",
    "regard",
    "bill",
    "cast",
    "depict",
    "alleged",
    "suppos",
    "purport",
    "so-called",
    "so called",
    "self",
    "quote",
)
_HINT = re.compile("|".join(re.escape(h) for h in _DISTANCING_HINTS))
#: a superset of where _NEGATOR / _NEGATOR_LOWER match in a window of the text (no final
#: word boundary: a window may end inside a word)
_NEGATOR_LOOSE = re.compile(
    r"[nwc](?:(?<=\bn)(?:o|ever|either)|(?<=\bw)ithout|(?<=\bc)annot|(?<=n)[’']t)", re.I
)
_DISTANCING = re.compile(
    r"(?:"
    r"\b(?:so[- ]called|self[- ](?:styled|proclaimed|declared|described)|alleged|supposed|"
    r"purported|quote[- ]unquote)\s+[\"“‘']?(?:[\w'’-]+\s+){0,2}"
    rf"|\bwhat\s+(?:[\w'’.-]+\s+){{0,6}}?(?:(?:{_NAMING})\s+(?:it\s+|them\s+)?|"
    rf"(?:{_NAMING_AS})\s+(?:it\s+|them\s+)?as\s+|(?:is|was|are|were|has\s+been)\s+"
    rf"(?:(?:{_NAMING})|(?:{_NAMING_AS})\s+as)\s+)"
    rf"(?:(?:a|an|the|its|their|his|her)\s+)?[\"“‘']?(?:[\w'’-]+\s+){{0,2}}"
    rf"|\b(?:{_NAMING})\s+(?:it|them|him|her|this|that|these|those|itself|themselves|"
    r"himself|herself|the\s+[\w'’-]+"
    r"(?:\s+[\w'’-]+)?|(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*))\s+(?:as\s+)?"
    r"(?:(?:a|an|the)\s+)?[\"“‘']?(?:[\w'’-]+\s+){0,1}"
    rf"|\b(?:{_NAMING_AS})\s+(?:it|them|him|her|this|that|these|those|itself|themselves|"
    r"himself|herself|the\s+[\w'’-]+"
    r"(?:\s+[\w'’-]+)?|(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*))\s+as\s+"
    r"(?:(?:a|an|the)\s+)?[\"“‘']?(?:[\w'’-]+\s+){0,1}"
    r"|\b(?:dubbed|branded|labell?ed|termed|nicknamed|(?:described|hailed|billed|"
    r"characteri[sz]ed|portrayed|depicted)\s+as)\s+(?:(?:a|an|the)\s+)?[\"“‘']?"
    r")\Z",
    re.I,
)


# --------------------------------------------------------------------------- helpers
def _sentence_of(sent_starts: Sequence[int], pos: int) -> int:
    """Index of the sentence that contains (or precedes) ``pos``."""
    return max(bisect_right(sent_starts, pos) - 1, 0)


def _tokens(text: str, a: int, b: int, limit: int = 0) -> list[tuple[str, int, int]]:
    """The tokens of ``text[a:b]`` (the first ``limit`` of them when ``limit``)."""
    found = _WORD.finditer(text, a, b)
    if limit:
        found = islice(found, limit)
    return [(m.group(), m.start(), m.end()) for m in found]


def _is_possessive(tok: str) -> bool:
    """``Iran's``, ``ministry’s``, ``States'``: a possessive determines the noun after it."""
    return (
        len(tok) > 2
        and (tok[-2:] in ("'s", "’s") or tok[-1] in "'’" and tok[-2] == "s")
        and tok[:-2].lower() not in _CONTRACTED
    )


#: "it's", "there's": a contraction of *is*, not a possessive
_CONTRACTED = frozenset("it he she that there what who here where let".split())


def _is_cap(tok: str) -> bool:
    if not tok[:1].isupper():  # diGenova, al-Assad, ben-Gvir: a name after a lower particle
        return not tok.islower() and _LOWER_PREFIX_NAME.match(tok) is not None
    return tok.lower() not in _STOP_CAPS


def _name_backward(toks: list[tuple[str, int, int]], i: int) -> int:
    """First token index of the name ending at token ``i`` (a run of capitalized words)."""
    j = i
    while j - 1 >= 0:
        prev = toks[j - 1][0]
        if _is_cap(prev) or prev.endswith("."):
            if prev.endswith(".") and not prev[:1].isupper():
                break
            j -= 1
        elif prev.lower() in _PARTICLES and j - 2 >= 0 and _is_cap(toks[j - 2][0]):
            j -= 1
        elif prev.lower() in _PARTICLES and prev.lower() != "of":
            j -= 1
        else:
            break
    if j > 0 and toks[j - 1][0].lower() == "the":
        j -= 1
    return j


def _speaker_before(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """The speaker noun phrase ending just before token ``i`` (the cue): token range."""
    k = i - 1
    while k >= 0 and (toks[k][0].lower() in _ADVERBS or toks[k][0].endswith("ly")):
        if toks[k][0].lower() in _BE and not toks[i][0].endswith("ing"):
            # a passive: "the mayor was told by residents", "it is said that": the agent
            # after "by" speaks, never the subject
            if i + 2 < len(toks) and toks[i + 1][0].lower() == "by":
                return _speaker_after(toks, i + 2)
            return None
        k -= 1
    if k >= 0 and toks[k][0] == ")":  # Newt Gingrich (R-Ga.) said
        j = k - 1
        while j >= 0 and toks[j][0] != "(" and k - j <= 12:
            j -= 1
        k = j - 1 if j >= 0 and toks[j][0] == "(" else k
    if k >= 0 and toks[k][0] == ",":  # X, the city's mayor, said
        j = k - 1
        while j >= 0 and toks[j][0] not in ',"“”' and k - j <= 14:
            j -= 1
        if j >= 1 and toks[j][0] == ",":
            found = _np_ending(toks, j - 1)
            if found is not None and not toks[found[1]][0][:1].isupper():
                # "the study's lead author, Professor Hannah Weiss, said": the name
                name = _np_ending(toks, k - 1)
                if (
                    name is not None
                    and name[0] == j + 1
                    and _is_cap(toks[name[1]][0])
                    and _is_cap(toks[name[0]][0])
                ):
                    return name
            if found is not None:
                return found
            found = _np_ending(toks, k - 1)  # Julian's father, John Shipton, wrote
            if found is not None and toks[found[1]][0][:1].isupper():
                return found
        return None
    found = _np_ending(toks, k)
    if found is not None and _is_possessive(toks[found[1]][0]):
        return None  # "Flynn's calls", "Trump's tweets": the cue word is a noun here
    return found


def _np_ending(toks: list[tuple[str, int, int]], k: int) -> tuple[int, int] | None:
    """The speaker noun phrase ending at token ``k``, with a head it modifies ("a spokesman
    for the militia", "the head of the agency")."""
    found = _np_core(toks, k)
    if (
        found is not None
        and found[0] >= 2
        and toks[found[0] - 1][0].lower() in ("for", "of", "at", "from", "with")
    ):
        head = _np_core(toks, found[0] - 2)
        if head is not None and toks[head[0]][0].lower() in _DETERMINERS:
            return head[0], found[1]
        # "Alex Bastian of the prosecutor's office told": the person, not the office
        if (
            head is not None
            and head[1] > head[0]
            and toks[found[0]][0].lower() == "the"
            and _is_cap(toks[head[0]][0])
            and _is_cap(toks[head[1]][0])
            and toks[head[1]][0].lower() not in _NOT_PERSON
        ):
            return head
    return found


def _np_core(toks: list[tuple[str, int, int]], k: int) -> tuple[int, int] | None:
    if k < 0:
        return None
    tok = toks[k][0]
    low = tok.lower()
    if low in _PRONOUNS:
        return k, k
    if not (tok[:1].isalnum()):
        return None
    if _is_cap(tok) or (tok[:1].isupper() and low == "the"):
        return _name_backward(toks, k), k
    # lower-case head: a determiner phrase, or a bare plural
    j = k
    while j >= 0 and k - j < 6:
        w = toks[j][0]
        if not w[:1].isalnum():
            break
        lw = w.lower()
        if lw in _DETERMINERS:
            return (j, k) if j < k or lw not in _ARTICLES else None
        if lw in _CUES or lw in _FORWARD_STOP:
            break
        if _is_possessive(w) and j < k:  # "Iran's foreign minister", "the agency's chief"
            if k - j > 3 or any(t[0].lower() in _VERBISH for t in toks[j + 1 : k + 1]):
                return None  # "the minister's words were clear"
            if w[:1].isupper():
                return _name_backward(toks, j), k
            i = j - 1  # "the company's chief executive": the possessor's own determiner
            while i >= 0 and k - i < 8 and toks[i][0][:1].isalnum():
                if toks[i][0].lower() in _DETERMINERS:
                    return i, k
                i -= 1
            return j, k
        j -= 1
    if low in _PLURAL_SPEAKERS or (
        len(low) > 3
        and low.endswith("s")
        and k >= 1
        and toks[k - 1][0][:1].isupper()
        and toks[k - 1][0].lower() not in _STOP_CAPS
    ):
        j = k
        while (
            j - 1 >= 0
            and toks[j - 1][0][:1].isalpha()
            and k - j < 3
            and (
                toks[j - 1][0][:1].isupper() or toks[j - 1][0].lower() in ("senior", "local", "top")
            )
            and toks[j - 1][0].lower() not in _STOP_CAPS
        ):
            j -= 1
        return j, k
    return None


def _phrase_end(toks: list[tuple[str, int, int]], i: int) -> int:
    """Last token of the words after token ``i`` up to a stop word, a cue or punctuation."""
    k = i
    while k + 1 < len(toks) and k - i < 6:
        nxt = toks[k + 1][0]
        lnx = nxt.lower()
        if not nxt[:1].isalnum() or lnx in _FORWARD_STOP or lnx in _CUES:
            break
        k += 1
    return k


def _speaker_after(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """The speaker noun phrase starting at token ``i`` (after a cue or *according to*)."""
    if i >= len(toks):
        return None
    tok = toks[i][0]
    low = tok.lower()
    if low in _PRONOUNS:
        return i, i
    if not tok[:1].isalnum():
        return None
    j = i
    if tok[:1].isupper() and low not in _STOP_CAPS or low == "the":
        # a name (or "the Foreign Ministry"), maybe with "of the X"
        if low == "the":
            j += 1
        k = j
        while k < len(toks) and (
            _is_cap(toks[k][0])
            or (
                toks[k][0].lower() in _PARTICLES
                and k + 1 < len(toks)
                and (_is_cap(toks[k + 1][0]) or toks[k + 1][0] == "the")
            )
            or (toks[k][0] == "the" and k > j and toks[k - 1][0] == "of")
        ):
            k += 1
        while k - 1 > j and toks[k - 1][0].lower() in _PARTICLES | {"the"}:
            k -= 1  # "Professor Ilse Varga of the university": stop before "of the"
        if k > j and _is_possessive(toks[k - 1][0]):
            end = k - 1  # "said Iran's foreign minister" (not "Iran's envoy welcomed ...")
            while end + 1 < len(toks) and end - k < 2:
                nxt = toks[end + 1][0]
                lnx = nxt.lower()
                if (
                    not nxt.replace("-", "").isalpha()
                    or lnx in _FORWARD_STOP
                    or lnx in _CUES
                    or lnx.endswith("ed")
                    or lnx in _PRONOUNS
                ):
                    break
                end += 1
            if end > k - 1:
                return i, end
            return None  # a bare possessive is no speaker
        if k > j:
            return i, k - 1
        if low != "the":
            return None
    # a determiner phrase up to a stop word or punctuation
    if low not in _DETERMINERS and low not in _PLURAL_SPEAKERS:
        # "said witness Kamren Hernandez", "said party spokesman Ali Reza": role + name
        k = i
        while (
            k < len(toks)
            and k - i < 3
            and toks[k][0].isalpha()
            and toks[k][0].islower()
            and toks[k][0] not in _FORWARD_STOP
            and toks[k][0] not in _CUES
            and toks[k][0] not in _BLOCKING_PREPOSITIONS
            and toks[k][0] != "of"
        ):
            k += 1
        if k > i and k < len(toks) and _is_cap(toks[k][0]):
            name = _speaker_after(toks, k)
            if name is not None:
                return i, name[1]
        return None
    k = _phrase_end(toks, i)
    if k == i and low in _ARTICLES:
        return None  # "the" alone is no speaker
    return i, k


# --------------------------------------------------------------------------- attribution
class _Attribution(NamedTuple):
    start: int
    end: int
    cue: str


def _has_cue(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` has a reporting cue word (a fast test before tokenizing)."""
    return _CUE_FIND.search(text[a:b].lower()) is not None


_CLAUSE_OPEN = ",;:—–-(.?!"


_DASH_SOURCE = re.compile(r"[ \t]*[-–—]+[ \t]*(?=[A-Z])")


def _attribute_after(text: str, a: int, b: int) -> _Attribution | None:
    """Attribution in ``text[a:b]``, right after a quotation."""
    dash = _DASH_SOURCE.match(text, a, b)
    if dash is not None:  # an epigraph: "..." —William Blackstone
        toks = _tokens(text, dash.end(), b, 8)
        sp = _speaker_after(toks, 0) if toks else None
        if sp is not None and sp[1] > sp[0]:
            return _Attribution(toks[sp[0]][1], toks[sp[1]][2], "—")
    if not _has_cue(text, a, b):
        return None
    toks = _tokens(text, a, b, 24)
    i = 0
    while i < len(toks) and toks[i][0] in ",—–-" + _QUOTE_MARKS:
        i += 1
    if i >= len(toks):
        return None
    low = toks[i][0].lower()
    if low == "according" and i + 1 < len(toks) and toks[i + 1][0].lower() == "to":
        sp = _speaker_after(toks, i + 2)
        if sp:
            return _Attribution(toks[sp[0]][1], toks[sp[1]][2], "according to")
        return None
    if low in _CUES and low not in _ADDRESSEE_CUES:  # said X (not "told X": the hearer)
        sp = _speaker_after(toks, i + 1)
        if sp:
            return _Attribution(toks[sp[0]][1], toks[sp[1]][2], toks[i][0])
        return None
    # X said: a cue within the next 14 tokens with a speaker right before it
    depth = 0
    for k in range(i + 1, min(len(toks), i + 16)):
        w = toks[k][0]
        depth += (w == "(") - (w == ")")
        if depth > 0:
            continue  # (R-Ga.)
        if w.lower() in _CUES:
            sp = _speaker_before(toks, k)
            if sp and sp[0] <= i + 3:  # "chief executive Laura Chen told"
                return _Attribution(toks[sp[0]][1], toks[sp[1]][2], w)
            sp = _speaker_after(toks, i)  # "Gavino Zarate, secretary of the party told"
            if sp and toks[i][0][:1].isupper() and toks[i][0].lower() not in _DETERMINERS:
                return _Attribution(toks[sp[0]][1], toks[sp[1]][2], w)
            return None
        if w in ".?!" + _QUOTE_MARKS:
            return None
    return None


def _attribute_before(text: str, a: int, b: int) -> _Attribution | None:
    """Attribution in ``text[a:b]``, the sentence text before a quotation."""
    lo = max(a, b - 140)
    seg = text[lo:b]
    seg_low = seg.lower()
    stripped = seg.rstrip(_SPACE_AND_MARKS)
    if not stripped.endswith(":"):
        cues = [m.start() for m in _CUE_FIND.finditer(seg_low)]
        if not cues:
            return None
        lo = max(lo, lo + cues[-1] - 90)  # the last cue and the speaker before it
    toks = _tokens(text, lo, b)
    if not toks:
        return None
    # X: "..."
    if stripped.endswith(":"):
        k = len(toks) - 1
        while k >= 0 and toks[k][0] != ":":
            k -= 1
        # "X posted on Instagram:", "X told reporters:": the cue's speaker, not the last noun
        cued = any(t[0].lower() in _CUES_AND_ACCORDING for t in toks[max(k - 20, 0) : k])
        if k >= 1 and not cued:
            sp = _np_ending(toks, k - 1)
            # the speaker is all of its clause ("Gov. Alan Brooks:"), not the object of a
            # verb before it ("the paper praised the mayor's triumph:")
            prefix = text[a : toks[sp[0]][1]].rstrip(_SPACE_AND_MARKS) if sp is not None else ""
            if (
                sp is not None
                and (toks[sp[1]][0][:1].isupper() or toks[sp[0]][0].lower() in _DETERMINERS)
                and (not prefix or prefix[-1] in _CLAUSE_OPEN)
            ):
                return _Attribution(toks[sp[0]][1], toks[sp[1]][2], ":")
    # according to X, "..."
    for k in range(len(toks) - 2 if "according" in seg_low else -1, -1, -1):
        if toks[k][0].lower() == "according" and toks[k + 1][0].lower() == "to":
            sp = _speaker_after(toks, k + 2)
            if sp:
                return _Attribution(toks[sp[0]][1], toks[sp[1]][2], "according to")
    # X said (that) ... "..."  or  said X
    for k in range(len(toks) - 1, -1, -1):
        w = toks[k][0]
        if w.lower() not in _CUES:
            continue
        participle = w.endswith("ing") and k and toks[k - 1][0] == ","
        if participle or (k and toks[k - 1][0].lower() == "and"):
            # "X slammed it, calling it ...", "X spoke to Y and said": the sentence's subject
            head = _tokens(text, a, min(a + 80, b), 12)
            sp = (_speaker_after(head, 0) or _np_ending(head, 0)) if head else None
            if sp:
                return _Attribution(head[sp[0]][1], head[sp[1]][2], w)
            if participle:
                continue
        sp = _speaker_before(toks, k)
        if sp:
            return _Attribution(toks[sp[0]][1], toks[sp[1]][2], w)
        sp = _speaker_after(toks, k + 1) if w.lower() not in _ADDRESSEE_CUES else None
        if sp and sp[1] + 1 < len(toks) and toks[sp[1] + 1][0] in ",:":
            return _Attribution(toks[sp[0]][1], toks[sp[1]][2], w)
    return None


def _attribute_previous(
    text: str, prev: tuple[int, int], s_start: int, qa: int
) -> _Attribution | None:
    """Attribution in the sentence before one that opens with a quotation: ``The minister
    added:`` or ``She continued.`` (a sentence that ends on its cue, with no quotation)."""
    if text[s_start:qa].strip(_SPACE_AND_MARKS):
        return None  # the quotation does not open its sentence
    pa, pb = prev
    seg = text[pa:pb].rstrip()
    if not seg or len(seg) > 300 or any(c in _QUOTE_MARKS for c in seg.rstrip(":.")[-140:]):
        return None
    if seg.endswith(":"):
        return _attribute_before(text, pa, pa + len(seg))
    words = _LOWER_WORDS.findall(seg[-40:].lower())
    if seg.endswith(".") and len(seg) < 120 and words and words[-1] in _CUES:
        return _attribute_before(text, pa, pa + len(seg) - 1)
    # "Ortiz said the plan had failed. "It cannot pass now." ": a quotation of whole sentences
    # right after a paraphrase goes on with the paraphrased speaker
    if text[qa + 1 : qa + 2].isupper() and seg.endswith("."):
        attr = _attribute_before(text, pa, min(pa + len(seg) - 1, pa + 140))
        if (
            attr is not None
            and attr.cue != ":"
            and (
                text[attr.start : attr.start + 1].isupper()
                or text[attr.start : attr.end].lower() in _PERSON_PRONOUNS
            )
        ):
            return attr
    return None


_IN_A_STATEMENT = re.compile(
    r"\s*(?:[A-Z][\w ]{0,30},\s*)?[Ii]n\s+(?:a|an|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|tweet|post|letter|e-?mail|speech|op-ed|column|memo|video|message|"
    r"press\s+release|blog\s+post|editorial|essay|sermon|podcast|broadcast)s?\b"
    r"[^,.;:\"“”]{0,50},\s*"
)


def _attribute_statement(text: str, s_lo: int, qa: int) -> _Attribution | None:
    """``In a statement, X thanked ... "..."``: the subject after *in a statement* (and
    *interview, tweet, letter* ...) speaks, with no reporting verb; the cue is the noun."""
    m = _IN_A_STATEMENT.match(text, s_lo, qa)
    if m is None:
        return None
    toks = _tokens(text, m.end(), qa, 12)
    sp = _speaker_after(toks, 0) if toks else None
    if sp is None or toks[sp[0]][0].lower() in _ARTICLES:
        return None
    noun = re.search(
        r"(statement|interview|tweet|post|letter|e-?mail|speech|op-ed|column|memo|"
        r"video|message|press\s+release|editorial|essay|sermon|podcast|broadcast)",
        m.group(),
    )
    return _Attribution(toks[sp[0]][1], toks[sp[1]][2], noun.group(1) if noun else ":")


_SPEECH_NOUNS = (
    "comment|comments|remark|remarks|words|statement|claim|claims|assertion|quip|warning|"
    "promise|pledge|tweet|vow|boast|slogan|line|phrase|description|admission|reply|answer|"
    "response|retort|message|motto|mantra|question|complaint|insistence|prediction|"
    "declaration|rallying\\s+cry|catchphrase"
)
_POSSESSIVE_SPEECH = re.compile(
    rf"(?:[’']s|s[’'])\s+(?:[a-z][\w-]*\s+){{0,2}}?({_SPEECH_NOUNS})(?:\s+(?:that|was|is))?"
    r"[\s,:]*$"
)


def _attribute_possessive(text: str, s_lo: int, qa: int) -> _Attribution | None:
    """``Bergoglio's notorious comment "who am I to judge"``, ``the minister's words:
    "..."``: the possessor of a speech noun right before the quotation speaks."""
    lo = max(s_lo, qa - 120)
    window = text[lo:qa]
    m = _POSSESSIVE_SPEECH.search(text, lo, qa) if "'" in window or "’" in window else None
    if m is None:
        return None
    toks = _tokens(text, lo, m.start() + 2)
    if not toks or not _is_possessive(toks[-1][0]):
        return None
    tok = toks[-1][0]
    if tok[:1].isupper():
        j = _name_backward(toks, len(toks) - 1)
    else:
        sp = _np_core(toks, len(toks) - 1)
        if sp is None:
            return None
        j = sp[0]
    # the speaker without the possessive ending ("Bergoglio", "the minister")
    end = toks[-1][2] - (2 if tok[-2:] in ("'s", "’s") else 1)
    if end <= toks[j][1]:
        return None
    return _Attribution(toks[j][1], end, m.group(1))


def _attribute_opening(text: str, s_lo: int, qa: int, inner: str) -> _Attribution | None:
    """``X "said she did not remember ..."``: the name right before a quotation that opens on
    a reporting verb."""
    first = _LOWER_WORDS.match(inner.lstrip(_SPACE_AND_MARKS))
    if first is None or first.group() not in _CUES or first.group() in _ADDRESSEE_CUES:
        return None
    toks = _tokens(text, max(s_lo, qa - 80), qa)
    if (
        not toks
        or not toks[-1][0][:1].isalnum()
        or toks[-1][0].lower() in _PRONOUNS - {"he", "she", "they", "we", "i"}
    ):
        return None
    sp = _np_ending(toks, len(toks) - 1)
    if sp is None or not (
        toks[sp[1]][0][:1].isupper()
        or toks[sp[0]][0].lower() in _DETERMINERS
        or toks[sp[0]][0].lower() in _PRONOUNS
    ):
        return None
    return _Attribution(toks[sp[0]][1], toks[sp[1]][2], first.group())


def _resolve(
    text: str, sents: Sequence[tuple[int, int]], si: int, before: int, named: list[tuple[int, str]]
) -> str | None:
    """The nearest preceding named person for a he/she speaker at ``before``."""
    for pos, name in reversed(named):
        if pos < before and name.split()[-1].lower() not in _NOT_PERSON:
            return name
    lo = sents[max(si - 3, 0)][0]
    best = None
    for m in re.finditer(
        r"\b(?:[A-Z][a-z]{0,3}\.\s+)?[A-Z][\w'’-]+(?:\s+(?:(?:al|bin|de|van|von)\s+)?"
        r"[A-Z][\w'’-]+)+",
        text[lo:before],
    ):
        words = m.group().split()
        while words and words[0].lower() in _STOP_CAPS:
            words = words[1:]
        if len(words) >= 2 and words[-1].lower() not in _NOT_PERSON:
            best = " ".join(words)
    return best


def classify_quotations(
    text: str,
    sentences: Sequence[tuple[int, int]],
    quotes: Sequence[tuple[int, int]],
) -> list[Quotation]:
    """Classify the quotations of one text and find their speakers.

    Parameters
    ----------
    text : str
        One document.
    sentences : sequence of (int, int)
        ``framing.sentence_spans(text)``.
    quotes : sequence of (int, int)
        ``framing.quote_spans(text)``.

    Returns
    -------
    list of Quotation
        One per quote span, in order: ``kind`` (``"speech"``, ``"scare"`` or ``"title"``),
        and for speech the speaker as written with its offsets, the cue and, for *he*/*she*,
        ``speaker_resolved``. The rules are in the module documentation.

    Examples
    --------
    >>> from framing.segment import quote_spans, sentence_spans
    >>> t = 'The so-called "reform" failed. "We lost," Mayor Ortiz said.'
    >>> [(q.kind, q.speaker, q.cue) for q in
    ...  classify_quotations(t, sentence_spans(t), quote_spans(t))]
    [('scare', None, None), ('speech', 'Mayor Ortiz', 'said')]
    """
    if not quotes:
        return []
    starts = [a for a, _ in sentences] or [0]
    n_sent = len(sentences)
    out: list[Quotation] = []
    named: list[tuple[int, str]] = []
    cued: dict[tuple[int, int], bool] = {}  # _has_cue of each sentence span, computed once

    def has_cue(a: int, b: int) -> bool:
        found = cued.get((a, b))
        if found is None:
            found = cued[a, b] = _has_cue(text, a, b)
        return found

    for qa, qb in quotes:
        inner = text[qa + 1 : qb - 1] if text[qb - 1 : qb] in _QUOTE_MARKS else text[qa + 1 : qb]
        si = _sentence_of(starts, qa)
        sj = _sentence_of(starts, max(qb - 1, qa))
        s_lo = sentences[si][0] if n_sent else 0
        s_hi = sentences[sj][1] if n_sent else len(text)
        s_hi = max(s_hi, qb)
        before = text[max(s_lo, qa - 48) : qa]
        # a comma closing the quotation is the sentence's (American style: its "reforms,"
        # the ministry said), not the quoted words'; a full stop is sentence-final
        tail = inner.rstrip(_SPACE_AND_MARKS).rstrip(",")
        short = (
            len(inner) < 80
            and len(_WORDS.findall(inner)) <= SCARE_MAX_WORDS
            and not _SPEECH_PUNCT.search(tail)
        )
        kind = "speech"
        attr = None
        if short and _SCARE_PREFIX.search(before[-30:].rstrip(_SPACE_AND_MARKS)):
            kind = "scare"  # the so-called "freedom fighters"
        elif (
            inner[:1].isupper()
            and len(inner) < 100
            and not _FINAL_PUNCT.search(inner)
            and _TITLE_PREFIX.search(before)
        ):
            kind = "title"  # the documentary "Nights of Fire", a book titled "..."
        elif (
            short and not before.rstrip(_SPACE_AND_MARKS).endswith(":") and not has_cue(s_lo, s_hi)
        ):
            kind = "scare"  # no reporting cue in the sentence: nobody is quoted
        else:
            attr = _attribute_after(text, qb, min(s_hi, qb + 120)) or _attribute_before(
                text, s_lo, qa
            )
            if short and attr is None and not has_cue(s_lo, s_hi):
                kind = "scare"
        if kind != "speech":
            out.append(Quotation(qa, qb, kind))
            continue
        if attr is None:  # Ms. Ford "said she did not remember": the quotation opens on a cue
            attr = _attribute_opening(text, s_lo, qa, inner)
        if attr is None:  # In a statement, Ellison thanked her for a "fair review."
            attr = _attribute_statement(text, s_lo, qa)
        if attr is None:  # the minister's words: "..."
            attr = _attribute_possessive(text, s_lo, qa)
        if attr is None and s_hi > qb + 1:  # a cue later in the sentence: "X ... and warned"
            attr = _attribute_before(text, s_lo, s_hi)
            if attr is not None and attr.start >= qa and attr.end <= qb:
                attr = None  # the "speaker" is inside the quotation itself
        if attr is None and out:
            prev = out[-1]
            if prev.kind == "speech" and prev.speaker is not None:
                gap = text[prev.end : qa]
                p_si = _sentence_of(starts, max(prev.end - 1, prev.start))
                open_prev = text[prev.end - 1 : prev.end] not in _QUOTE_MARKS
                # a new paragraph continues the speaker only when it opens with the quotation
                new_para = "\n" in gap and text[text.rfind("\n", 0, qa) + 1 : qa].strip() != ""
                if (
                    si - p_si <= 1
                    and not new_para
                    and ("\n" not in gap or open_prev or gap.count("\n") <= 2)
                ):
                    out.append(prev._replace(start=qa, end=qb))
                    continue
        if attr is None and si > 0 and n_sent:  # the sentence before: "She added:"
            attr = _attribute_previous(text, sentences[si - 1], sentences[si][0], qa)
        if attr is None and sj + 1 < n_sent:  # the next sentence: "Ortiz said so."
            na, nb = sentences[sj + 1]
            if text[na : na + 1] not in _QUOTE_MARKS and nb - na < 60:
                attr = _attribute_after(text, na, nb)
        if attr is None:
            out.append(Quotation(qa, qb, "speech"))
            continue
        speaker = text[attr.start : attr.end]
        resolved = None
        if speaker.lower() in _PERSON_PRONOUNS:
            resolved = _resolve(text, sentences, si, qa, named) if n_sent else None
        elif speaker.lower() not in _PRONOUNS and speaker[:1].isupper():
            named.append((attr.start, speaker[4:] if speaker.startswith("The ") else speaker))
        out.append(Quotation(qa, qb, "speech", speaker, attr.start, attr.end, attr.cue, resolved))
    # a quotation left open at a paragraph end continues in the next: same speaker
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if (
            q.kind == "speech"
            and q.speaker is None
            and nxt.kind == "speech"
            and nxt.speaker is not None
            and text[q.end - 1 : q.end] not in _QUOTE_MARKS
            and text[q.end : nxt.start].strip() == ""
        ):
            out[i] = nxt._replace(start=q.start, end=q.end)
    return out


# ------------------------------------------------------------------------ match modifiers
def _clause_break(rest: str) -> bool:
    """Whether ``rest`` (between a negator and a match) crosses a clause boundary; the *and*
    of *between X and Y* joins a noun phrase (``no link between the drug and heart failure``)."""
    found = _CLAUSE_BREAK.search(rest)
    if found is None:
        return False
    if found.group().lower() != "and" or _BETWEEN.search(rest, 0, found.start()) is None:
        return True
    return _CLAUSE_BREAK.search(rest, found.end()) is not None


_BETWEEN = re.compile(r"\bbetween\b", re.I)


def _negated(
    text: str,
    start: int,
    end: int,
    clause_start: int,
    clause_end: int,
    negs: list[re.Match],
    neg_starts: list[int],
) -> bool:
    """:func:`is_negated` with the negators of the text found beforehand (sorted)."""
    lo = max(clause_start, start - 80)
    i = bisect_right(neg_starts, start) - 1
    while i >= 0 and negs[i].end() > start:
        i -= 1
    if i >= 0 and negs[i].start() >= lo:
        neg = negs[i]
        rest = text[neg.end() : start]
        if not _clause_break(rest) and not _NOT_NEGATING.match(text, neg.start()):
            between = [w.lower() for w in _WORDS.findall(rest)]
            # "no plans for a bailout": a negated noun phrase keeps its complements;
            # "did not apologize for the massacre": the massacre is presupposed
            nominal = neg.group().lower() in _NOMINAL_NEGATORS
            if (
                len(between) <= 5
                and not any(
                    w in _REVERSING or (not nominal and w in _BLOCKING_PREPOSITIONS)
                    for w in between
                )
                and not (
                    between
                    and between[0] in _PERCEPTION
                    and ("such" in between or _AFFIRMED_AFTER.match(text, end))
                )
            ):
                return True
    hi = min(end + 60, clause_end)
    j = bisect_left(neg_starts, end)
    if j < len(neg_starts) and neg_starts[j] < hi:
        return bool(_SUBJECT_NEGATED.match(text, end, hi))
    return False


def is_negated(
    text: str, start: int, end: int, *, clause_start: int = 0, clause_end: int | None = None
) -> bool:
    """Whether the match ``text[start:end]`` is the predicate or object of a negated clause.

    Parameters
    ----------
    text : str
        The document (or sentence).
    start, end : int
        The match offsets.
    clause_start, clause_end : int, optional
        Offsets of the sentence holding the match; the search stays inside it.

    Returns
    -------
    bool
        See the module documentation for the rule and its exceptions.

    Examples
    --------
    >>> t = "The raid was not a massacre."
    >>> is_negated(t, t.index("massacre"), t.index("massacre") + 8)
    True
    >>> t = "The army never stopped its brutal crackdown."
    >>> is_negated(t, t.index("crackdown"), t.index("crackdown") + 9)
    False
    """
    negs = list(_NEGATOR.finditer(text, max(clause_start, start - 80), min(end + 60, len(text))))
    hi = len(text) if clause_end is None else clause_end
    return _negated(text, start, end, clause_start, hi, negs, [m.start() for m in negs])


def is_distanced(text: str, start: int, *, clause_start: int = 0) -> bool:
    """Whether a match starting at ``start`` is distanced by the words before it.

    Parameters
    ----------
    text : str
        The document (or sentence).
    start : int
        The match start.
    clause_start : int, default 0
        Offset of the sentence holding the match; the search stays inside it.

    Returns
    -------
    bool
        True after *so-called*, *self-styled*, *what X calls*, *X calls it a* and the other
        markers of the module documentation (scare quotes are decided by
        :func:`classify_quotations`).

    Examples
    --------
    >>> t = "What the ministry described as a rescue operation left 40 dead."
    >>> is_distanced(t, t.index("rescue"))
    True
    """
    lo = max(clause_start, start - 100)
    return bool(_DISTANCING.search(text[lo:start]))


def match_modifiers(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    *,
    sentences: Sequence[tuple[int, int]],
    quotations: Sequence[Quotation],
) -> list[MatchModifiers]:
    """Voice, negation, distancing and speaker of every match of one text.

    Parameters
    ----------
    text : str
        One document.
    starts, ends : sequence of int
        Match offsets, sorted by start.
    sentences : sequence of (int, int)
        ``framing.sentence_spans(text)``.
    quotations : sequence of Quotation
        :func:`classify_quotations` of the text.

    Returns
    -------
    list of MatchModifiers
        One per match: ``voice`` (``"quote"`` inside quoted speech or a title, else
        ``"author"``: scare quotes are the author's), ``negated``, ``distanced`` and
        ``speaker`` (of the quotation the match is in: ``speaker_resolved`` when a pronoun
        was resolved, else the speaker as written; None in the author's voice).
    """
    n = len(starts)
    if n != len(ends):
        raise ValueError(
            f"match_modifiers: {n} starts but {len(ends)} ends; pass one end per start"
        )
    out = [_PLAIN] * n
    if not n:
        return out
    # voice and speaker: the matches that start inside each quotation (the last quotation
    # that starts at or before a match holds it when the match starts before its end)
    n_q = len(quotations)
    for qi, q in enumerate(quotations):
        q_hi = q.end
        if qi + 1 < n_q and quotations[qi + 1].start < q_hi:
            q_hi = quotations[qi + 1].start
        i, j = bisect_left(starts, q.start), bisect_left(starts, q_hi)
        if i < j:
            mod = (
                _SCARE
                if q.kind == "scare"
                else MatchModifiers("quote", False, False, q.speaker_resolved or q.speaker)
            )
            out[i:j] = [mod] * (j - i)
    # negators and distancing verbs are rare: a cheap search first, the rules only then
    low = text.lower()
    if len(low) != len(text):  # a rare character that changes length when lower-cased
        low = text
    negator = _NEGATOR_LOWER if low is not text else _NEGATOR
    search, hint = negator.search, _HINT.search
    s_starts = [a for a, _ in sentences] or [0]
    n_text = len(text)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        si = bisect_right(s_starts, a) - 1
        s_lo, s_hi = sentences[si] if si >= 0 and sentences else (0, n_text)
        lo = a - 80 if a - 80 > s_lo else s_lo
        hi = b + 60 if b + 60 < s_hi else s_hi
        if search(low, lo, hi) and _negated(text, a, b, s_lo, s_hi, *_found(negator, low, lo, hi)):
            out[i] = out[i]._replace(negated=True)
        if hint(low, a - 48 if a - 48 > s_lo else s_lo, a) and not out[i].distanced:
            lo = a - 100 if a - 100 > s_lo else s_lo
            if _DISTANCING.search(text[lo:a]) is not None:
                out[i] = out[i]._replace(distanced=True)
    return out


def _found(
    pattern: re.Pattern[str], text: str, a: int, b: int
) -> tuple[list[re.Match[str]], list[int]]:
    """The matches of ``pattern`` in ``text[a:b]`` and their starts."""
    found = list(pattern.finditer(text, a, b))
    return found, [m.start() for m in found]


def quotes_table(rows: Sequence[tuple[str, str, Quotation]]) -> pd.DataFrame:
    """The quotes table (:data:`QUOTE_COLUMNS`) from ``(doc_id, text, quotation)`` rows.

    Parameters
    ----------
    rows : sequence of (str, str, Quotation)
        The speech quotations of each document, in document order, with the document's id
        and text. ``quote_id`` numbers them from 0 within each document.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, quote_id, start, end, text, speaker, speaker_start, speaker_end, cue,
        speaker_resolved``: offsets are int64 (speaker offsets -1 when there is no speaker),
        the string columns of pandas' default string dtype with missing values for no
        speaker / cue / resolution.
    """
    doc, qid, start, end, qtext, speaker, sp_a, sp_b, cue, resolved = ([] for _ in range(10))
    last, k = None, 0
    for doc_id, text, q in rows:
        k = k + 1 if doc_id == last else 0
        last = doc_id
        doc.append(doc_id)
        qid.append(k)
        start.append(q.start)
        end.append(q.end)
        qtext.append(text[q.start : q.end])
        speaker.append(q.speaker)
        sp_a.append(q.speaker_start)
        sp_b.append(q.speaker_end)
        cue.append(q.cue)
        resolved.append(q.speaker_resolved)
    return coerce_quotes(
        pd.DataFrame(
            {
                "doc_id": doc,
                "quote_id": qid,
                "start": start,
                "end": end,
                "text": qtext,
                "speaker": speaker,
                "speaker_start": sp_a,
                "speaker_end": sp_b,
                "cue": cue,
                "speaker_resolved": resolved,
            }
        )
    )


def _str_dtype() -> np.dtype[Any] | ExtensionDtype:
    """pandas' default dtype for strings (``str`` with pandas 3, else ``object``)."""
    return pd.Series(["x"]).dtype


def coerce_quotes(table: pd.DataFrame) -> pd.DataFrame:
    """Give a quotes table (built, or read back from CSV / JSON Lines) its contract dtypes.

    Parameters
    ----------
    table : pandas.DataFrame
        A quotes table; missing columns are added empty.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`QUOTE_COLUMNS` in order (other columns kept after them).
    """
    table = table.copy()
    n = len(table)
    str_dtype = _str_dtype()
    for col in QUOTE_COLUMNS:
        if col not in table.columns:
            table[col] = pd.Series([None] * n, dtype=object, index=table.index)
    for col in ("quote_id", "start", "end", "speaker_start", "speaker_end"):
        default = -1 if col.startswith("speaker") else 0
        table[col] = pd.to_numeric(table[col]).fillna(default).astype(np.int64)
    for col in ("doc_id", "text"):
        values = table[col].astype(object)
        table[col] = values.where(values.notna(), "").map(str).astype(str_dtype)
    for col in ("speaker", "cue", "speaker_resolved"):
        values = table[col].astype(object)
        values = values.where(values.notna() & (values != ""), None)
        table[col] = values.map(lambda v: v if v is None else str(v)).astype(str_dtype)
    rest = [c for c in table.columns if c not in QUOTE_COLUMNS]
    return table[[*QUOTE_COLUMNS, *rest]].reset_index(drop=True)


def modifier_columns(mods: Sequence[MatchModifiers]) -> dict[str, object]:
    """The ``voice, negated, distanced, speaker`` columns of the matches table.

    Parameters
    ----------
    mods : sequence of MatchModifiers
        :func:`match_modifiers` of every match, in the order of the matches table.

    Returns
    -------
    dict
        ``voice`` and ``speaker`` as string Series (speaker missing in the author's voice),
        ``negated`` and ``distanced`` as bool arrays.
    """
    str_dtype = _str_dtype()
    return {
        "voice": pd.Series([m.voice for m in mods], dtype=object).astype(str_dtype),
        "negated": np.fromiter((m.negated for m in mods), dtype=bool, count=len(mods)),
        "distanced": np.fromiter((m.distanced for m in mods), dtype=bool, count=len(mods)),
        "speaker": pd.Series([m.speaker for m in mods], dtype=object).astype(str_dtype),
    }
