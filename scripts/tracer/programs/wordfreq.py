# A small, deterministic Python workload for the tracer: build text, count
# words and bigrams in dicts, sort, and serialise to JSON.
import json

seed = 12345
def rand():
    global seed
    seed = (seed * 1103515245 + 12345) % 2**31
    return seed

syllables = ["ka", "lo", "mi", "ne", "su", "ra", "ti", "vo", "zen", "pa", "qui", "dor"]
words = ["".join(syllables[rand() % len(syllables)] for _ in range(1 + rand() % 4)) for _ in range(20000)]
counts = {}
bigrams = {}
for a, b in zip(words, words[1:]):
    counts[a] = counts.get(a, 0) + 1
    key = a + " " + b
    bigrams[key] = bigrams.get(key, 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:200]
lines = ["%-12s %5d" % kv for kv in top]
doc = json.dumps({"top": top, "bigrams": len(bigrams), "report": "\n".join(lines)})
print(len(doc), len(counts), len(bigrams))
