print("seqhunt")
