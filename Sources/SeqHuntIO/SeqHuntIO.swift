// Readers and writers for SeqHunt's file formats.
