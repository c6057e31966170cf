"""What chapters, profiles, practices and the changelog say: text helpers and tested findings."""
