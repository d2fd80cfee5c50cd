import NachweisCLI

await NachweisCommand.entry()
