from django.contrib import admin

from .models import Intervenant, Seance


class IntervenantInline(admin.StackedInline):
    model = Intervenant
    extra = 0


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    list_display = ["numero", "theme", "date", "lieu", "cycle"]
    list_filter = ["cycle"]
    search_fields = ["theme", "lieu", "intervenants__nom"]
    inlines = [IntervenantInline]
    list_select_related = ["cycle"]
