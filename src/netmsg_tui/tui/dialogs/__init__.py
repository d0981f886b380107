"""Dialogs: ModalScreen[T] shown over a screen and dismissed with a value of type T."""
