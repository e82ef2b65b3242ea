"""YAML reading that remembers line numbers, so errors can point at them."""
import yaml

from .errors import LoadError


class Mapping(dict):
    """A YAML mapping that knows the line of itself and of each key."""
    line = None

    def __init__(self):
        super().__init__()
        self.lines = {}

    def line_of(self, key):
        return self.lines.get(key, self.line)


# libyaml's parser when PyYAML was built with it: the pure-Python one spends most
# of a large build parsing annotations. Both give nodes with line marks.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise LoadError(loader.name, key_node.start_mark.line + 1, key, "duplicate key")
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_text(path):
    """The file's text, or a LoadError saying why it cannot be read as UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(path, None, None, f"cannot read: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise LoadError(path, line, None, f"not UTF-8 (byte {e.start})") from None


def load_yaml(path):
    text = read_text(path)
    loader = None
    try:
        loader = _Loader(text)
        loader.name = str(path)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise LoadError(path, line, None, f"YAML syntax: {e.problem or e.context}") from None
    except yaml.reader.ReaderError:
        # raised before parsing, for characters YAML does not allow (control codes);
        # libyaml reports a byte offset and no character, so find it in the text.
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if bad is None:
            raise LoadError(path, None, None, "a character YAML does not allow") from None
        line = text[: bad.start()].count("\n") + 1
        raise LoadError(path, line, None, f"character U+{ord(bad.group()):04X} is not allowed in YAML") from None
    finally:
        if loader is not None:
            loader.dispose()
