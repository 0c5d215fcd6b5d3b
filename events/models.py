from lms.bookings.pages import BookablePage


class ConferencePage(BookablePage):
    """A conference or event: one or more days, delegates from anywhere."""

    template = "courses/course_page.html"

    class Meta:
        verbose_name = "conference"
