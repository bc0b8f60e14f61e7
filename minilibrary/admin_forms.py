"""Forms of the mini-library's own admin pages: plain fields, errors next to the field, input kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BORROWER_HELP, BORROWER_LABEL_MAX_LENGTH, Book, validate_borrower_label


class BookChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, book):
        label = str(book)
        if book.location == Book.Location.LIBRARY:
            label = _("%(book)s (at the library)") % {"book": label}
        return label


def _borrower_field(*, required):
    return forms.CharField(
        label=_("Borrower") if required else _("Asked by (optional)"),
        max_length=BORROWER_LABEL_MAX_LENGTH,
        required=required,
        help_text=BORROWER_HELP,
        validators=[validate_borrower_label],
        error_messages={
            "required": _("Write a first name or the number the partner uses."),
            "max_length": _("At most %(limit_value)d characters: a first name or a number."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )


class LendForm(forms.Form):
    book = BookChoiceField(
        label=_("Which book"),
        queryset=Book.objects.none(),
        empty_label=_("Choose a book"),
        error_messages={
            "required": _("Choose the book that goes out."),
            "invalid_choice": _("This book cannot be lent now. Choose another one."),
        },
    )
    borrower = _borrower_field(required=True)

    def __init__(self, *args, books, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["book"].queryset = books


class RequestForm(forms.Form):
    book = BookChoiceField(
        label=_("Book from the collection"),
        queryset=Book.objects.none(),
        required=False,
        empty_label=_("Not in the collection"),
        error_messages={"invalid_choice": _("Choose a book of this cart.")},
    )
    title = forms.CharField(
        label=_("Or write the title or subject"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    borrower = _borrower_field(required=False)

    def __init__(self, *args, books, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["book"].queryset = books

    def clean(self):
        data = super().clean()
        if not data.get("book") and not (data.get("title") or "").strip() and "title" not in self.errors:
            self.add_error("title", _("Choose a book from the collection or write the title."))
        return data


class BooksImportForm(forms.Form):
    text = forms.CharField(
        label=_("Books, one per line"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80, "spellcheck": "false"}),
        help_text=_(
            "Title; author; easy reading (ja or nee); kind (makkelijk, studie, informatie or anders). "
            "Copied from a spreadsheet works too. New books wait at the library until the packing list "
            "brings them onto the cart."
        ),
        error_messages={"required": _("Paste at least one line.")},
    )
