// Slot for what training shows on a node (filled by the training view when it runs).
import { useNodeOverlay } from './overlayRegistry.ts';

export function NodeExtras({ nodeId }: { nodeId: string }) {
  const Overlay = useNodeOverlay();
  return Overlay ? <Overlay nodeId={nodeId} /> : null;
}
