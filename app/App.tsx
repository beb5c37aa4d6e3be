export function App() {
  return (
    <main>
      <h1>nodegrad</h1>
    </main>
  );
}
