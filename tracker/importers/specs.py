"""The lists tracker imports: who keeps each, how its entries are identified, and where its
publisher serves it (the URL an imported edition cites as its source)."""

from tracker.importers.records import ListSpec

OFAC = ListSpec(
    authority="us-ofac",
    scheme="ofac-uid",
    key_prefix="ofac",
    publisher="Office of Foreign Assets Control, US Department of the Treasury",
    title="OFAC sanctions list",
)
UN = ListSpec(
    authority="un-sc",
    scheme="un-ref",
    key_prefix="un",
    publisher="United Nations Security Council",
    title="UN Security Council Consolidated List",
)
UK = ListSpec(
    authority="uk",
    scheme="uk-group-id",
    key_prefix="uk",
    publisher="HM Treasury, Office of Financial Sanctions Implementation",
    title="UK Consolidated List of Financial Sanctions Targets",
)
EU = ListSpec(
    authority="eu",
    scheme="eu-logical-id",
    key_prefix="eu",
    publisher="European Commission, Financial Sanctions Files",
    title="EU consolidated list of financial sanctions",
)
FTM = ListSpec(
    authority="ftm",  # every listing names its own authority; this names the list, "ftm/<list>"
    scheme="ftm",
    key_prefix="ftm",
    publisher="FollowTheMoney data",
    title="FollowTheMoney dataset",
    identifier_may_be_key=True,
    names_authorities=True,
    keyed_by_start=True,
)

# OFAC's Sanctions List Service serves every format of both lists under one address.
OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
UN_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
UK_URL = "https://ofsistorage.blob.core.windows.net/publishlive/ConList.csv"
EU_URL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList/content"


def ofac_url(export: str) -> str:
    """The official address of one OFAC export: "SDN.CSV", "CONS_ENHANCED.XML"..."""
    return OFAC_EXPORTS + export
