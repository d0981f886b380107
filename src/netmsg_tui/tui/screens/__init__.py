"""Full screens: each decides what to push and handles the messages its widgets post."""
