# expect: no-race
# Each worker writes its own result global; the main thread reads them only after join().
import threading

result_a = 0
result_b = 0


def work_a():
    global result_a
    for i in range(1000):
        result_a += i


def work_b():
    global result_b
    for i in range(1000):
        result_b += i


threads = [threading.Thread(target=work_a), threading.Thread(target=work_b)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(result_a + result_b)
