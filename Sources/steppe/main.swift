import SteppeCLI

// The whole command is in SteppeCLI, which `steppe-mpi` shares.
Steppe.main()
