from lms.bookings.pages import BookablePage


class MasterclassPage(BookablePage):
    """One-day masterclasses for elected members."""

    template = "courses/course_page.html"
    run_noun = ("masterclass", "masterclasses")

    class Meta:
        verbose_name = "masterclass"


class OfficerProgrammePage(BookablePage):
    """Commercial skills training for officers: cohorts meeting over several days."""

    template = "courses/course_page.html"
    run_noun = ("cohort", "cohorts")

    class Meta:
        verbose_name = "officer training programme"


class ElearningCoursePage(BookablePage):
    """Places on an e-learning course that runs elsewhere, allocated in intakes."""

    template = "courses/course_page.html"
    run_noun = ("intake", "intakes")
    completion_from_provider = True

    class Meta:
        verbose_name = "e-learning course"
