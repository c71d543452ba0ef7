# expect: race counts[word]
# Word counts in a shared dict: `counts[word] += 1` is a read-modify-write of one item.
import threading

WORDS = ["a", "b", "a", "c", "a", "b"] * 100
counts = {"a": 0, "b": 0, "c": 0}


def work():
    for word in WORDS:
        counts[word] += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counts)
