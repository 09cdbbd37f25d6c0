"""Official lists in: one module per format parses a file (streaming) into `ListedParty`
records; `reconcile` compares them with the database by identifier and writes the changes."""

FTM_LIST = "FTM"  # the list code of FtM files imported without --list
