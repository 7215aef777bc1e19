"""Reading and writing the data files' YAML, strictly and canonically.

Reading resolves only `true`/`false`, `null`/`~`, decimal integers and strings: a date
stays the string it was typed as (the schema and the model check it), and `NO`
(Norway), `on` or `020` stay strings too, where YAML 1.1 would make them false, true
and 16. A repeated key is an error, not a silent overwrite.

Writing is canonical — keys in the order given, block style, Unicode as is, text with
line breaks as `|` literals, a fixed width — so files → database → files gives the same
bytes. It always uses the pure-Python emitter: the bytes must not depend on whether
libyaml is installed.
"""

import functools
import json
import re

import yaml

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WIDTH = 100


class StrictLoader(BaseLoader):
    yaml_implicit_resolvers = {}


StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:null|~|)$"), ["n", "~", ""])
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:0|-?[1-9][0-9]*)$"), list("-0123456789"))

SCALARS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:bool": lambda value: value == "true",
    "tag:yaml.org,2002:null": lambda value: None,
}


def _build(node):
    """Python data from a node: a walk of our own, several times faster than PyYAML's constructor."""
    if isinstance(node, yaml.MappingNode):
        data = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if key in data:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark
                )
            data[key] = _build(value_node)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_build(item) for item in node.value]
    if node.tag not in SCALARS:
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {node.tag} is not used in data files", node.start_mark
        )
    return SCALARS[node.tag](node.value)


def parse(text):
    """The data of one file; raises yaml.YAMLError with the line and column of a problem."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return None if node is None else _build(node)


class CanonicalDumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Lists indented under their key, as most editors and reviewers expect.
        return super().increase_indent(flow, False)


def _represent_text(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


CanonicalDumper.add_representer(str, _represent_text)


def render(data):
    """The canonical text of a file's data (JSON-shaped: what records.file_data gives)."""
    return _render(json.dumps(data, ensure_ascii=False))


@functools.lru_cache(maxsize=4096)
def _render(data_json):
    # Kept per process by the data's JSON (which keeps key order, and true apart from 1): the
    # pure-Python emitter takes 12 ms a file, and the test suite dumps the same records in
    # dozens of dumps and round trips in one process.
    return yaml.dump(
        json.loads(data_json),
        Dumper=CanonicalDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=WIDTH,
        indent=2,
    )
