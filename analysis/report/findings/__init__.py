"""What each chapter says, as tested plain values: one module per chapter or theme."""
