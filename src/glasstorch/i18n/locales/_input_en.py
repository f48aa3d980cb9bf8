"""English: the trainer's bad-input messages about files, CSV and JSON rows, number formats and model files
(app/validate.py, csvread.py, data.py, numbers.py, schema.py, modelfile.py, sources.py); merged into en.py."""

INPUT = {
    # ---- validate.py: files, JSON, cells beyond float32, limits
    "validate.kind.fifo": "a FIFO (named pipe)",
    "validate.kind.char_device": "a character device",
    "validate.kind.block_device": "a block device",
    "validate.kind.socket": "a socket",
    "validate.kind.other": "not a regular file",
    "validate.not_regular": "{path} is {kind}, not a regular {what}: glasstorch reads only regular files (copy the "
                            "data into a file first)",
    "validate.too_large": "{path} is {size} bytes, more than the {limit} bytes glasstorch reads into memory as one "
                          "{what}",
    "validate.grew": "{path} grew beyond the {limit} bytes glasstorch reads into memory as one {what}",
    "validate.cannot_write": "cannot write into {path}: {reason}{hint}",
    "validate.hint.disk_full": " (the disk is full)",
    "validate.hint.read_only": " (a read-only file system)",
    "validate.hint.permission": " (no permission)",
    "validate.hint.quota": " (over the disk quota)",
    "validate.json_digits": "{source}: a number with {digits} digits is out of range",
    "validate.json_number": "{source}: the number {start}... ({digits} digits) is out of range",
    "validate.json_invalid": "{source} is not valid JSON: {error}",
    "validate.json_deep": "{source}: the JSON nests too deeply to be rows of values",
    "validate.out_of_range": "{where}: {value} is out of range: the network computes in float32, whose largest value "
                             "is {largest} (is the {what} in the right unit?)",
    "validate.what.feature": "feature",
    "validate.what.target": "target",
    "validate.too_many_classes": "the target '{name}' has {count} distinct values: too many classes for a classifier "
                                 "(limit {limit}). If it is a quantity, use --task regression; if these really are "
                                 "classes, pass --max-classes {n}",
    "validate.split": "--train-size {train_size} of {rows} gives {n_train} training and {n_test} held-out rows; both "
                      "need rows{regression}: use more rows or another --train-size",
    "validate.split_regression": " (regression at least two training rows)",
    "validate.synthetic_rows": "--synthetic needs between 20 and {most} rows, got {n}",
    "validate.memory": "training would need about {need} GiB of memory, more than half of this machine's "
                       "{available} GiB; {culprit}",
    "validate.memory.inputs": "{n_inputs} encoded inputs for {rows} rows (one per category of a categorical column): "
                              "drop or merge columns with many distinct values",
    "validate.memory.hidden": "--hidden {hidden}: use narrower layers",

    # ---- csvread.py: reading a CSV
    "csv.bytes": "{n} bytes",
    "csv.too_big": "{path} is {size}; reading it and training on it takes about {factor}x its size in memory "
                   "({need}) and {available} is available. glasstorch reads a CSV whole, it does not stream it: "
                   "train on a sample of the rows (e.g. `head -n 1000001 {name} > sample.csv`) or on a machine with "
                   "more memory",
    "csv.not_utf8": "{path} is not UTF-8 text (byte {offset}): is it really a CSV file?",
    "csv.unreadable": "{source} is not a readable CSV file: {error}",
    "csv.columns_differ": "columns do not match",

    # ---- data.py: the table, JSON rows, the columns a model needs
    "table.distinct": "{distinct} distinct values in {present} rows",
    "table.id_column": "'{name}': {why}",
    "table.sep": "; ",
    "table.all_ids": "{path}: every feature column looks like an ID or free text ({columns}); name those to keep "
                     "with --categorical",
    "table.json_shape": "{source}: JSON input must be an object or a non-empty list of objects (one per row, column "
                        "name → value)",
    "table.json_row_columns": "{source}: JSON row {i} has columns {columns}, row 1 has {first}",
    "table.missing_column": "missing column: {names}",
    "table.missing_columns": "missing columns: {names}",
    "table.unexpected_column": "unexpected column: {names}",
    "table.unexpected_columns": "unexpected columns: {names}",
    "table.model_expects": "The model expects: {names}",
    "table.model_uses": "The model uses: {names}",
    "table.columns_mismatch": "{source}: {problems}. {expects}",
    "table.single_class": "the target column '{name}' has a single class ({label}) in the training rows: a "
                          "classifier needs at least two",
    "table.nothing": "nothing",

    # ---- numbers.py: how the CSV writes numbers
    "numbers.line": "numbers: {marks} ({how}; --decimal {other} to read them otherwise)",
    "numbers.decimal_comma": "decimal comma",
    "numbers.decimal_point": "decimal point",
    "numbers.thousands": "{mark} as thousands separator",
    "numbers.comma": "comma",
    "numbers.and": " and ",
    "numbers.forced": "forced by --decimal",
    "numbers.detected_in": "detected: column '{column}' has {cell}",
    "numbers.detected": "detected",
    "numbers.two_ways": "numbers are written two ways: column '{comma_column}' has {comma} (a decimal comma) and "
                        "column '{thousands_column}' has {thousands} (a thousands separator); pass --decimal , or "
                        "--decimal . to say which",

    # ---- schema.py: a model file's fields ({where} is the field's path, e.g. config.hidden[0])
    "schema.expected": "{where}: expected {expected}, got {value}",
    "schema.constant": "{value}",
    "schema.array_of_shape": "an array of shape {shape}",
    "schema.true_or_false": "true or false",
    "schema.integer": "an integer",
    "schema.integer_at_least": "an integer >= {low}",
    "schema.integer_in": "an integer in [{low}, {high}]",
    "schema.number": "a number",
    "schema.finite_number": "a finite number",
    "schema.number_in": "a number in [{low}, {high}]",
    "schema.string": "a string",
    "schema.one_of": "one of {choices}",
    "schema.non_empty_string": "a non-empty string",
    "schema.hex_digits": "{n} hexadecimal digits",
    "schema.list": "a list",
    "schema.list_at_least": "a list of at least {n} item(s)",
    "schema.twice": "{where}: {value} appears twice",
    "schema.object": "an object",
    "schema.missing": "{where}: missing",
    "schema.unknown_field": "{where}: not a field of this object",
    "schema.array_of_integers": "a 1-D array of integers",
    "schema.array_of_numbers": "a 1-D array of numbers",
    "schema.finite_numbers": "finite numbers",
    "schema.positive_numbers": "numbers > 0",
    "schema.object_of_tensors": "an object of tensors",
    "schema.tensor": "a tensor",
    "schema.config": "config: {error}",
    "schema.task": "config.task: {config_task}, but the model's task is {task}",
    "schema.classes": "classes: a classifier needs two or more labels, got {value}",
    "schema.regression_classes": "classes: a regression model has none",
    "schema.selected": "preprocessing.selected: expected distinct indices in [0, {n}), got {value}",
    "schema.mean_absent": "preprocessing.mean: absent, but config.standardize is {standardize}",
    "schema.mean_present": "preprocessing.mean: present, but config.standardize is {standardize}",
    "schema.column_names": "encoding.columns: their names are not feature_names",
    "schema.categories_missing": "encoding.columns[{j}].categories: missing for a categorical column",
    "schema.categories_given": "encoding.columns[{j}].categories: given for a numeric column",
    "schema.input_names": "encoding.input_names: {names} names for {n} encoded inputs",
    "schema.pair": "preprocessing.{absent}: missing while preprocessing.{given} is given",
    "schema.entries": "preprocessing.{name}: expected {length} entries ({what}), got {got}",
    "schema.entries.inputs": "the number of encoded inputs",
    "schema.entries.target": "one (the target)",
    "schema.state_keys": "state_dict: does not fit config (missing: {missing}; unexpected: {extra})",
    "schema.none": "none",
    "schema.state_shape": "state_dict[{name}]: shape {shape}, but config and preprocessing need {need}",
    "schema.state_dtype": "state_dict[{name}]: dtype {dtype}, expected {expected}",
    "schema.state_finite": "state_dict[{name}]: holds NaN or infinite values",
    "schema.csv_source": "training.data.{name}: missing for rows read from a CSV file",
    "schema.synthetic_source": "training.data.{name}: missing for synthetic rows",
    "schema.synthetic_n": "training.data.n: synthetic rows number 20 to {most}, got {n}",

    # ---- modelfile.py: reading a model file
    "model_file.no_file": "no such model file: {path}",
    "model_file.not_model": "{path} is not a glasstorch model file: {reason}",
    "model_file.unreadable": "{path} is not a readable glasstorch model file: {kind}: {error}",
    "model_file.not_trained": "{path} was saved by glasstorch but is not a model written by `glasstorch train` (it "
                              "holds {what})",
    "model_file.holds_type": "a {type}",
    "model_file.holds_dict": "a dict with keys {keys}",
    "model_file.newer": "{path} was written by a newer glasstorch (model format {version})",
    "model_file.damaged": "{path} is a glasstorch model file but it is damaged: {error}",

    # ---- sources.py: finding a model's training rows again
    "sources.no_path": "the model does not say which file it was trained on: pass --data CSV",
    "sources.gone": "the model was trained on {path}, which is no longer there; pass --data CSV to evaluate it on a "
                    "file with the same columns",
    "sources.unreadable": "the model was trained on {path}, which cannot be read now: {error}",
    "sources.changed": "the model was trained on {path}, which has changed since (its sha256 differs): pass --data "
                       "{path} to score every row of it as it is now",
}
