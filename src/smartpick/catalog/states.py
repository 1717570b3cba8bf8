"""US states and territories: the vocabulary's codes and names (see :mod:`smartpick.vocab`)."""

from smartpick.vocab import NAME_TO_CODE, STATE_NAMES, state_code

__all__ = ["ACGME_STATE_CODES", "NAME_TO_CODE", "STATE_NAMES", "state_code"]

# The two state digits of an ACGME program id (SSS + NN + serial): the state most programs
# with that code are in, read from the AMA FREIDA Internal Medicine survey (2025).
ACGME_STATE_CODES: dict[str, str] = {
    "01": "AL", "02": "AK", "03": "AZ", "04": "AR", "05": "CA", "07": "CO", "08": "CT",
    "09": "DE", "10": "DC", "11": "FL", "12": "GA", "14": "HI", "15": "ID", "16": "IL",
    "17": "IN", "18": "IA", "19": "KS", "20": "KY", "21": "LA", "22": "ME", "23": "MD",
    "24": "MA", "25": "MI", "26": "MN", "27": "MS", "28": "MO", "29": "MT", "30": "NE",
    "31": "NV", "32": "NH", "33": "NJ", "34": "NM", "35": "NY", "36": "NC", "37": "ND",
    "38": "OH", "39": "OK", "40": "OR", "41": "PA", "42": "PR", "43": "RI", "45": "SC",
    "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "54": "WA",
    "55": "WV", "56": "WI",
}
