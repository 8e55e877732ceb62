print("placeholder: the state tree crash-test writer")
