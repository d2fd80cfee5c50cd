import NachweisCLI
NachweisCommand.main()
