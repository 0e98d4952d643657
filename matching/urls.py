from django.urls import path

from matching.views import coordinator, own, public

app_name = "matching"
urlpatterns = [
    path("samordning/forfragningar/<int:pk>/matchning/", coordinator.shortlist_view, name="shortlist"),
    path("samordning/forfragningar/<int:pk>/matchning/for-hand/", coordinator.add_by_hand, name="add_by_hand"),
    path("samordning/forfragningar/<int:pk>/svar/", coordinator.answers_view, name="answers"),
    path("samordning/forfragningar/<int:pk>/svar/bekrafta/", coordinator.confirm, name="confirm"),
    path("samordning/forfragningar/<int:pk>/svar/<int:inquiry_pk>/", coordinator.record_answer, name="record_answer"),
    path("samordning/forfragningar/<int:pk>/svar/<int:inquiry_pk>/kan-inte/", coordinator.withdraw, name="withdraw"),
    path("samordning/resurser/<int:pk>/jav/", coordinator.add_resource_conflict, name="add_conflict"),
    path(
        "samordning/resurser/<int:pk>/jav/<int:conflict_pk>/ta-bort/",
        coordinator.remove_resource_conflict,
        name="remove_conflict",
    ),
    path("mina-sidor/uppdragsforfragningar/", own.inquiry_list, name="own_inquiries"),
    path("mina-sidor/uppdragsforfragningar/<int:pk>/", own.inquiry_detail, name="own_inquiry"),
    path("mina-sidor/jav/", own.conflicts, name="own_conflicts"),
    path("mina-sidor/jav/<int:pk>/ta-bort/", own.remove_own_conflict, name="remove_own_conflict"),
    path("svara/<str:token>/", public.answer_by_link, name="answer"),
]
