"""The database's records as bundles, the same shape the files are read into.

A handful of queries per model, whatever the number of records; synthetic benchmark
records (and their children and provenance) are left out, as they never go to files.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from . import registry
from .records import Bundle, child_codec, codec_of


def real_q(model, path=""):
    """Q for the non-synthetic rows of `model`, reached through `path` ('instrument__', or '' for itself)."""
    q = ~Q(**{f"{path}pk__startswith": registry.SYNTHETIC_PREFIX})
    if any(f.name == "is_synthetic" for f in model._meta.concrete_fields):
        q &= Q(**{f"{path}is_synthetic": False})
    return q


def many_to_many(model, names, owner_path=""):
    """{owner pk: {field: [target pks]}} for the many-to-many fields `names` of `model`."""
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = through.objects.filter(real_q(model, f"{owner}__")).values_list(f"{owner}_id", f"{target}_id")
        for owner_pk, target_pk in rows:
            values.setdefault(owner_pk, {}).setdefault(name, []).append(target_pk)
    return values


def read_bundles():
    """{path: Bundle} of every (non-synthetic) record the data files can hold."""
    bundles, owners = {}, {}
    for kind in registry.FILE_TYPES:
        codec_ = codec_of(kind)
        m2m_names = [spec.name for spec in codec_.specs if spec.many]
        m2m = many_to_many(kind.model, m2m_names)
        for record in kind.model._base_manager.filter(real_q(kind.model)):
            bundle = Bundle(kind, record, {child.key: [] for child in kind.children})
            if record.pk in m2m:
                bundle.m2m[(record._meta.label, record.pk)] = m2m[record.pk]
            bundles[bundle.path] = bundle
            owners[(record._meta.model_name, str(record.pk))] = bundle
        for child in kind.children:
            child_m2m = many_to_many(child.model, [s.name for s in child_codec(child).specs if s.many])
            rows = child.model._base_manager.filter(real_q(kind.model, f"{child.parent_field}__"))
            attname = child.model._meta.get_field(child.parent_field).attname
            for row in rows:
                bundle = bundles[kind.path_of(getattr(row, attname))]
                bundle.children[child.key].append(row)
                if row.pk in child_m2m:
                    bundle.m2m[(row._meta.label, row.pk)] = child_m2m[row.pk]
                owners[(row._meta.model_name, str(row.pk))] = bundle
    Provenance = registry.provenance_model()
    types = ContentType.objects.get_for_models(*registry.models_in_load_order()[:-1])
    names = {content_type.pk: model._meta.model_name for model, content_type in types.items()}
    rows = Provenance._base_manager.filter(content_type__in=list(types.values())).exclude(
        object_id__startswith=registry.SYNTHETIC_PREFIX
    )
    for row in rows:
        row.content_model = names[row.content_type_id]
        bundle = owners.get((row.content_model, row.object_id))
        if bundle is not None:
            bundle.provenance.append(row)
    return bundles
