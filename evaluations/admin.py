"""Administrators edit the questions here. A version that has been sent is frozen: copy it to a new
version, edit the copy, and publish it; new evaluations then get the new version."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import log_action
from evaluations.models import Question, QuestionSet


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "text", "help_text", "kind", "required", "shown_to_resource"]

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.evaluations.exists()

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "respondent", "version", "published_at", "created_at"]
    list_filter = ["respondent"]
    inlines = [QuestionInline]
    actions = ["copy_as_new_version", "publish"]
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.evaluations.exists():
            return [*self.readonly_fields, "respondent", "version", "introduction"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        log_action("evaluations.question_set.saved", actor=request.user, obj=obj, data={"version": obj.version})

    @admin.action(description=_("Kopiera till en ny, opublicerad version"))
    def copy_as_new_version(self, request, queryset):
        with transaction.atomic():
            for question_set in queryset:
                latest = QuestionSet.objects.filter(respondent=question_set.respondent).aggregate(v=Max("version"))["v"]
                copy = QuestionSet.objects.create(
                    respondent=question_set.respondent,
                    version=latest + 1,
                    introduction=question_set.introduction,
                    created_by=request.user,
                )
                Question.objects.bulk_create(
                    Question(
                        question_set=copy,
                        key=q.key,
                        text=q.text,
                        help_text=q.help_text,
                        kind=q.kind,
                        order=q.order,
                        required=q.required,
                        shown_to_resource=q.shown_to_resource,
                    )
                    for q in question_set.questions.all()
                )
                log_action("evaluations.question_set.copied", actor=request.user, obj=copy, data={"from": question_set.pk})
        self.message_user(request, _("Kopian är skapad. Ändra frågorna och publicera den."), messages.SUCCESS)

    @admin.action(description=_("Publicera (nya utvärderingar får den här versionen)"))
    def publish(self, request, queryset):
        now = timezone.now()
        for question_set in queryset.filter(published_at__isnull=True):
            question_set.published_at = now
            question_set.save(update_fields=["published_at"])
            log_action("evaluations.question_set.published", actor=request.user, obj=question_set, data={})

# Evaluations, follow-up notes and their themes are the coordinators' work, on their own pages
# (with scoping and the audit log); the admin shows administrators only the question sets they keep.
