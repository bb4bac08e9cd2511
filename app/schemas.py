"""Pydantic models of the JSON the API speaks (docs/DOCUMENT.md); `schema_version` is 1."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# A tensor value: nested lists of numbers (NaN/±Inf as "nan"/"inf"/"-inf"), or for a tensor over
# the size limit a Summary object.
Value = Any


class Stats(BaseModel):
    min: float | str
    max: float | str
    mean: float | str


class Summary(BaseModel):
    """A value too large to send: its shape and min/max/mean."""

    truncated: Literal[True] = True
    shape: list[int]
    stats: Stats


class TensorNode(BaseModel):
    id: str = Field(examples=["t3"])
    kind: Literal["tensor"] = "tensor"
    name: str | None = Field(
        description="the program variable it was first bound to (W; a later tensor "
        "bound to W outside loops: W′; a .grad: w.grad), else null"
    )
    label: str = Field(
        description="name, else the op that made it; made in a loop: with its iteration "
        "as a subscript (y₃)"
    )
    grad_of: str | None = Field(None, description="a .grad tensor: the tensor whose gradient it is")
    op: str | None
    inputs: list[str] = Field(description="ids of the op's tensor inputs")
    constants: list[bool | int | float | str] = Field(
        default_factory=list, description="the op's Python number inputs, in order (W * 0.5: [0.5])"
    )
    shape: list[int]
    dtype: str
    data: Value = Field(description="final value (null when truncated)")
    grad: Value = Field(description="final .grad (null when None or truncated)")
    grad_fn: str | None = Field(examples=["MulBackward0"])
    grad_fn_id: str | None
    is_leaf: bool
    requires_grad: bool
    retains_grad: bool
    line: int | None = Field(description="source line that created it")
    iteration: list[int] = Field(default_factory=list, description="loop indices when created")
    parameter: str | None = Field(
        None, description="qualified name of a module's parameter or buffer (model.fc1.weight)"
    )
    scope: list[str] = Field(
        default_factory=list,
        description="graph scopes it was made in, outermost first (model, model.fc1)",
    )
    truncated: bool = False
    stats: Stats | None = None
    grad_truncated: bool = False
    grad_stats: Stats | None = None


class FunctionNode(BaseModel):
    id: str = Field(examples=["f2"])
    kind: Literal["function"] = "function"
    name: str = Field(examples=["MulBackward0", "AccumulateGrad"])
    next_functions: list[str | None]
    tensor: str | None = Field(description="output tensor it belongs to (AccumulateGrad: its leaf)")
    line: int | None
    scope: list[str] = Field(
        default_factory=list, description="graph scopes it was made in, outermost first"
    )


Node = Annotated[TensorNode | FunctionNode, Field(discriminator="kind")]


class Edge(BaseModel):
    source: str
    target: str
    kind: Literal["forward", "next_function", "grad_fn"]


class EventBase(BaseModel):
    step: int
    line: int | None
    iteration: list[int] = Field(default_factory=list)


class CreateEvent(EventBase):
    type: Literal["create"] = "create"
    tensor: str
    op: str | None
    inputs: list[str]
    data: Value


class ModifyEvent(EventBase):
    type: Literal["modify"] = "modify"
    tensor: str
    op: str | None
    inputs: list[str] = Field(default_factory=list)
    data: Value


class GradEvent(EventBase):
    """A .grad changed outside backward(): `w.grad.zero_()`, `w.grad = None`, `opt.zero_grad()`."""

    type: Literal["grad"] = "grad"
    tensor: str = Field(description="the tensor whose .grad changed")
    op: str = Field(
        description='"None" (set to None), "zero_", "set", or the in-place op on the .grad'
    )
    grad: Value = Field(description="the .grad now (null: None)")
    grad_tensor: str | None = Field(
        None, description="the node of the .grad tensor, when it is drawn"
    )


class BackwardStartEvent(EventBase):
    type: Literal["backward_start"] = "backward_start"
    call: int
    roots: list[str]
    gradient: Value


class GradOut(BaseModel):
    target: str | None
    value: Value


class FunctionEvent(EventBase):
    type: Literal["function"] = "function"
    call: int
    function: str
    name: str
    grad_in: list[Value]
    grad_out: list[GradOut]


class AccumulateEvent(EventBase):
    type: Literal["accumulate"] = "accumulate"
    call: int
    function: str | None
    tensor: str
    before: Value
    after: Value
    grad_tensor: str | None = Field(
        None, description="the node of the .grad tensor, when it is drawn"
    )


class BackwardEndEvent(EventBase):
    type: Literal["backward_end"] = "backward_end"
    call: int


class PrintEvent(EventBase):
    type: Literal["print"] = "print"
    text: str


class HookEvent(EventBase):
    """A hook registered with Tensor.register_hook ran on `tensor`'s gradient (before -> after)."""

    type: Literal["hook"] = "hook"
    call: int
    tensor: str
    before: Value
    after: Value


class WarningEvent(EventBase):
    """A warning PyTorch gives at this point (the non-leaf .grad UserWarning ...), shown in the console."""

    type: Literal["warning"] = "warning"
    category: str = Field(examples=["UserWarning"])
    message: str


Event = Annotated[
    CreateEvent
    | ModifyEvent
    | GradEvent
    | BackwardStartEvent
    | FunctionEvent
    | AccumulateEvent
    | BackwardEndEvent
    | PrintEvent
    | HookEvent
    | WarningEvent,
    Field(discriminator="type"),
]


Scalar = float | str | None  # "nan"/"inf"/"-inf" as strings, None when missing


class TrainingIteration(BaseModel):
    index: int = Field(description="the loop's index of this iteration (0, 1, ...)")
    first_step: int = Field(description="timeline step of its first event")
    last_step: int = Field(description="timeline step of its last event")
    loss: Scalar = Field(description="value of the first scalar tensor .backward() ran on")
    scalars: dict[str, Scalar] = Field(description="printed scalars by label (one per series)")
    nodes: list[str] = Field(description="ids of the tensor and function nodes made in it")


class TrainingLoop(BaseModel):
    line: int
    end_line: int
    series: list[str] = Field(description="labels of printed scalars seen in every iteration")
    iterations: list[TrainingIteration]


class ErrorInfo(BaseModel):
    type: str = Field(examples=["RuntimeError", "SyntaxError", "LimitError", "NotAllowedError"])
    message: str
    line: int | None
    col: int | None = Field(description="0-based character column")
    end_line: int | None
    end_col: int | None
    hint: str | None = None


class WarningInfo(BaseModel):
    type: str = Field(examples=["UserWarning"])
    message: str
    line: int | None


class GraphNode(BaseModel):
    id: str = Field(
        description="a document node id, or op:<tensor id> for an op autograd did not record"
    )
    kind: Literal["tensor", "op", "function"]
    ref: str = Field(description="the document node it draws (an op node: the tensor it made)")


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: Literal["forward", "output", "modify", "next_function", "accumulate", "grad_fn"]


class GraphView(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class Graph(BaseModel):
    """The two graphs as drawn (app/graph_model.py): the page draws them, DOT export writes them."""

    forward: GraphView
    backward: GraphView


class RunDocument(BaseModel):
    """Everything the browser needs to draw and animate one run."""

    schema_version: Literal[1] = SCHEMA_VERSION
    code: str
    nodes: list[Node]
    edges: list[Edge]
    variables: dict[str, str] = Field(description="tensor variables at the end: name -> node id")
    values: dict[str, str] = Field(
        default_factory=dict, description="other variables at the end: name -> repr"
    )
    timeline: list[Event]
    output: str
    warnings: list[WarningInfo] = Field(
        default_factory=list, description="PyTorch's warnings, once per line, in program order"
    )
    error: ErrorInfo | None
    seconds: float = Field(0.0, description="run time on the server")
    training_loop: TrainingLoop | None = Field(
        None, description="per-iteration loss and printed scalars of the top-level training loop"
    )
    graph: Graph


class RunRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "import torch\n"
                    "x = torch.tensor(2., requires_grad=True)\n"
                    "y = x * x\ny.backward()\nprint(x.grad)\n"
                }
            ]
        }
    )
    code: str = Field(description="the PyTorch program")


class GradcheckRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "import torch\n"
                    "x = torch.tensor([1., 2.], requires_grad=True)\n"
                    "(x ** 3).sum().backward()\n",
                    "tensor": "x",
                }
            ]
        }
    )
    code: str = Field(description="the PyTorch program, as for /api/run")
    tensor: str = Field(
        min_length=1,
        max_length=200,
        description="the leaf: its document id (t3) or its variable name at the end",
    )
    eps: float = Field(1e-6, gt=0, le=0.1, description="the nudge of central differences")


class GradcheckResult(BaseModel):
    """A leaf's gradient by backprop and by central differences, both in float64 (docs/GRADCHECK.md)."""

    tensor: str = Field(description="document id of the leaf")
    name: str | None = Field(description="its variable at the end of the program")
    shape: list[int]
    call: int = Field(description="the backward call checked: the first that reached the leaf")
    line: int | None = Field(description="source line of that backward call")
    root: str = Field(description="id of the tensor backward() was called on")
    root_name: str | None
    root_shape: list[int]
    eps: float
    numeric: Value = Field(
        description="(<g, root>(x + eps e_i) - <g, root>(x - eps e_i)) / 2 eps, per element"
    )
    autograd: Value = Field(
        description="what that backward call added to the leaf's .grad, in float64"
    )
    max_abs_diff: float | str = Field(description='"nan" or "inf" where a value is not finite')
    max_rel_diff: float | str = Field(description="max_abs_diff over the largest |gradient| entry")
    atol: float
    rtol: float
    close: bool = Field(description="|numeric - autograd| <= atol + rtol |autograd| everywhere")
    reruns: int
    seconds: float
    notes: list[str] = Field(default_factory=list)


class ExampleSummary(BaseModel):
    slug: str
    title: str
    explanation: str
    origin: Literal["seed", "gallery"]


class Example(ExampleSummary):
    code: str


class APIError(BaseModel):
    detail: str
