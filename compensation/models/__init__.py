from compensation.models.fees import FeeLine, FrozenLine, NoFee, TravelClaim
from compensation.models.payees import Payee, mask
from compensation.models.payouts import BatchCostCentre, PayoutBatch
from compensation.models.rates import CompensationModel, PriceBaseAmount, RateLine

__all__ = [
    "BatchCostCentre",
    "CompensationModel",
    "FeeLine",
    "FrozenLine",
    "NoFee",
    "Payee",
    "PayoutBatch",
    "PriceBaseAmount",
    "RateLine",
    "TravelClaim",
    "mask",
]
