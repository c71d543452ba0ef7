# expect: race items
# Rebinding a global list (`items = items + [x]`) from several threads: appends get lost.
import threading

items = []


def work(tag):
    global items
    for i in range(300):
        items = items + [(tag, i)]


threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(items))
