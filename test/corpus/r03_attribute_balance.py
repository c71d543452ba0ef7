# expect: race self.balance
# An instance attribute updated from two threads.
import threading


class Account:
    def __init__(self):
        self.balance = 0

    def deposit(self, n):
        for _ in range(n):
            self.balance += 1


acct = Account()
threads = [threading.Thread(target=acct.deposit, args=(1500,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(acct.balance)
