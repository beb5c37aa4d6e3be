// The part of the PyTorch export that is the same for every graph: reading an .npz file with
// torch alone, and a training loop that also runs under torchrun (DistributedDataParallel).
// `{{ARGS}}` is replaced by the argparse lines (engine/export/python.ts).
export const PYTORCH_MAIN = `NPY_DTYPES = {"<f4": torch.float32, "<f8": torch.float64, "|u1": torch.uint8, "<i8": torch.int64,
              "<i4": torch.int32, "|i1": torch.int8, "|b1": torch.bool}


def load_npz(path):
    """The arrays of an .npz file (numpy's format, little-endian, C order), read with torch alone."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for entry in archive.namelist():
            raw = archive.read(entry)
            if raw[:6] != b"\\x93NUMPY":
                raise ValueError(f"{path}: {entry} is not a .npy array")
            size, start = (struct.unpack("<H", raw[8:10])[0], 10) if raw[6] == 1 else (struct.unpack("<I", raw[8:12])[0], 12)
            header = ast.literal_eval(raw[start:start + size].decode("latin1"))
            if header["fortran_order"] or header["descr"] not in NPY_DTYPES:
                raise ValueError(f"{path}: {entry} must be C-ordered {', '.join(NPY_DTYPES)}, not {header['descr']}")
            dtype = NPY_DTYPES[header["descr"]]
            body = bytearray(raw[start + size:])
            value = torch.frombuffer(body, dtype=dtype) if body else torch.zeros(0, dtype=dtype)
            arrays[entry[:-4] if entry.endswith(".npy") else entry] = value.reshape(header["shape"])
    return arrays


def load_data(path):
    data = load_npz(path)
    x = data["x"].float().reshape(-1, *INPUT_SHAPE)
    y = data["y"]
    targets = 1
    for d in TARGET_SHAPE:
        targets *= d
    if y.dim() == 1 and targets > 1:  # class labels -> one-hot rows
        y = F.one_hot(y.long(), targets)
    return x, y.float().reshape(-1, *TARGET_SHAPE)


def main():
{{ARGS}}
    parser.add_argument("--out", default="model.pt", help="where rank 0 saves the trained state_dict")
    args = parser.parse_args()
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:  # started by torchrun: one process per device
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed)
    x, y = load_data(args.data)
    dataset = torch.utils.data.TensorDataset(x, y)
    sampler = torch.utils.data.DistributedSampler(dataset, seed=args.seed) if distributed else None
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler)
    model = build_model().to(device)
    optimizer = make_optimizer(model, args.lr)
    if distributed:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None)
    model.train()
    for epoch in range(1, args.epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        total = torch.zeros(2, dtype=torch.float64, device=device)  # Σ loss · rows, Σ rows
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model, xb, yb)
            loss.backward()
            optimizer.step()
            total += torch.tensor([loss.item() * len(xb), len(xb)], dtype=torch.float64, device=device)
        if distributed:
            dist.all_reduce(total)
        if rank == 0:
            print(f"epoch {epoch} loss {(total[0] / total[1]).item():.6g}", flush=True)
    if rank == 0:
        torch.save(getattr(model, "module", model).state_dict(), args.out)
        print(f"saved {args.out}")
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
