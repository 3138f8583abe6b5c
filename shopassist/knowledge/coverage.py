"""Whether the help pages cover a question: one threshold for every path that decides it.

The knowledge answer says "I'm not sure" below it, and the NLU answers a rule question
before any form only at or above it (shopassist.nlu.help_search), so a question is never
taken out of a form only to be told "I'm not sure".
"""

# Search score of the best passage (cosine plus the words' boost, shopassist.knowledge.index)
# below which a question is taken as not covered. Tuned on the help pages' `asked` questions
# and tests/knowledge/tuning_questions.yml, never on the graded or independent questions
# (`python -m bench.knowledge_threshold` prints the sweep; 0.56 for the cosine alone).
UNKNOWN_BELOW = 0.67
