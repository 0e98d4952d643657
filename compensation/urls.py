from django.urls import path

from compensation.views import finance, own, review

app_name = "compensation"
urlpatterns = [
    path("mina-sidor/ersattning/", own.fees, name="own_fees"),
    path("mina-sidor/ersattning/utbetalningsuppgifter/", own.payee, name="own_payee"),
    path("mina-sidor/ersattning/uppdrag/<int:pk>/resa/", own.claim, name="own_claim"),
    path("mina-sidor/ersattning/arsbesked/<int:year>/", own.yearly_statement, name="own_statement"),
    path("samordning/arvoden/", review.attest, name="attest"),
    path("samordning/arvoden/uppdrag/<int:pk>/inget-arvode/", review.no_fee, name="no_fee"),
    path("arvoden/reseersattning/<int:pk>/", review.claim_detail, name="claim"),
    path("arvoden/reseersattning/<int:pk>/kvitto/", review.claim_receipt, name="claim_receipt"),
    path("verksamhet/kostnader/", review.unit_costs, name="unit_costs"),
    path("ekonomi/att-betala/", finance.payable, name="payable"),
    path("ekonomi/utbetalningar/", finance.batch_list, name="batches"),
    path("ekonomi/utbetalningar/<int:pk>/", finance.batch_detail, name="batch"),
    path("ekonomi/utbetalningar/<int:pk>/kostnadsstallen/", finance.batch_cost_centres, name="batch_cost_centres"),
    path("ekonomi/utbetalningar/<int:pk>/fil.<str:fmt>", finance.batch_export, name="batch_export"),
    path("ekonomi/utbetalningar/<int:pk>/betald/", finance.batch_paid, name="batch_paid"),
    path("ekonomi/rader/<int:pk>/aterfor/", finance.line_reverse, name="line_reverse"),
    path("ekonomi/mottagare/", finance.payee_list, name="payees"),
    path("ekonomi/mottagare/<int:pk>/", finance.payee_detail, name="payee"),
    path("ekonomi/rapporter/", finance.reports, name="reports"),
]
