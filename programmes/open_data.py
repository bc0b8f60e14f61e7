"""Open Referral HSDS 3.0 export: programmes as services, libraries as organisations, branches as locations.

Municipal social-map directories read this to list the programmes. Only public facts, no people.
"""

import uuid

_NAMESPACE = uuid.UUID("6f1c2d0e-8a44-4f2b-9f2e-4a6f0a1b7c3d")


def _id(kind, pk):
    # HSDS wants stable UUIDs; derive them from our keys so they never change between exports.
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{pk}"))


def _location(branch, library_id):
    return {
        "id": _id("location", branch.pk),
        "location_type": "physical",
        "organization_id": library_id,
        "name": branch.name,
        "description": branch.directions,
        "addresses": [
            {
                "id": _id("address", branch.pk),
                "location_id": _id("location", branch.pk),
                "address_type": "physical",
                "address_1": branch.street,
                "city": branch.city,
                "region": "",
                "state_province": "",
                "postal_code": branch.postcode,
                "country": "NL",
            }
        ],
        "phones": [{"id": _id("branch-phone", branch.pk), "number": str(branch.phone)}]
        if branch.phone
        else [],
    }


def _service(programme, library_id, request, branches):
    service_id = _id("service", programme.pk)
    return {
        "id": service_id,
        "organization_id": library_id,
        "name": programme.name,
        "alternate_name": "",
        "description": programme.description,
        "url": request.build_absolute_uri(programme.get_absolute_url()),
        "status": "active",
        "eligibility_description": programme.audience,
        "application_process": (
            "Online aanmelden of bij de balie." if programme.registration_required else "Gewoon binnenlopen."
        ),
        "fees_description": "Gratis",
        "languages": [{"id": _id("language", programme.pk), "name": "Dutch", "code": "nl"}],
        "service_at_locations": [
            {
                "id": _id("service-at-location", f"{programme.pk}-{branch.pk}"),
                "service_id": service_id,
                "location_id": _id("location", branch.pk),
            }
            for branch in branches
            if programme.default_branch_id in (None, branch.pk)
        ],
    }


def hsds_export(*, libraries, request):
    organizations = []
    for library in libraries:
        library_id = _id("organization", library.pk)
        branches = list(library.branches.all())
        organizations.append(
            {
                "id": library_id,
                "name": library.name,
                "description": "Openbare bibliotheek",
                "website": library.website,
                "email": library.email,
                "phones": [{"id": _id("phone", library.pk), "number": str(library.phone)}]
                if library.phone
                else [],
                "locations": [_location(branch, library_id) for branch in branches],
                "services": [_service(p, library_id, request, branches) for p in library.programmes.all()],
            }
        )
    return {"hsds_version": "3.0", "organizations": organizations}
