// Training toolbar and panel (filled in by the training view).
export function TrainingBar() {
  return null;
}
export function TrainingPanel() {
  return null;
}
