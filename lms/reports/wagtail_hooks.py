"""The Figures menu (organisers only), its pages and the admin home's panel."""

from django.urls import reverse
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import figures, views
from .years import FinancialYear


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_see_figures(request.user)


@hooks.register("register_admin_menu_item")
def figures_menu():
    items = [
        FiguresMenuItem(view.page_title, reverse(view.url_name), icon_name="table", order=i)
        for i, view in enumerate(views.REPORTS)
    ]
    return SubmenuMenuItem("Figures", Menu(items=items), icon_name="table", order=250, name="figures")


class ThisYearPanel(Component):
    """This financial year to date at a glance, on the admin home (organisers only)."""

    name = "figures_this_year"
    order = 120
    template_name = "reports/this_year_panel.html"

    def __init__(self, now=None):
        self.year = FinancialYear.current(now)
        self.scope = figures.Scope(year=self.year, now=now)

    def get_context_data(self, parent_context=None):
        total = figures.figures(self.scope)[None]
        reached = figures.councils_reached(self.scope).count()
        return {
            "year": self.year,
            "figures": total,
            "councils": reached,
            "headline": views.headline(total, f"{self.year.label} to date"),
            "summary_url": f"{reverse('reports_summary')}?year={self.year.label}",
            "figures_url": reverse("reports_index"),
        }


@hooks.register("construct_homepage_panels")
def this_year_panel(request, panels):
    if views.can_see_figures(request.user):
        panels.append(ThisYearPanel())
