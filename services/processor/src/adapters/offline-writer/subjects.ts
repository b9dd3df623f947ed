/** Keywords that signal a subject. A note is filed under the best match, or "General". */
const LEXICON: Record<string, string[]> = {
  Biology: ['cell', 'dna', 'gene', 'protein', 'organism', 'evolution', 'species', 'enzyme', 'photosynthesis', 'mitosis', 'chromosome', 'ecosystem', 'bacteria', 'virus', 'tissue', 'membrane', 'rna', 'mutation', 'chlorophyll', 'metabolism', 'neuron', 'organ'],
  Chemistry: ['molecule', 'atom', 'reaction', 'bond', 'electron', 'acid', 'base', 'compound', 'element', 'ion', 'catalyst', 'oxidation', 'solution', 'periodic', 'molar', 'covalent', 'isotope'],
  Physics: ['force', 'energy', 'mass', 'velocity', 'acceleration', 'momentum', 'gravity', 'quantum', 'particle', 'wave', 'relativity', 'newton', 'friction', 'magnetic', 'electric', 'photon', 'thermodynamic', 'entropy'],
  Mathematics: ['equation', 'function', 'derivative', 'integral', 'matrix', 'vector', 'theorem', 'proof', 'probability', 'algebra', 'geometry', 'calculus', 'polynomial', 'prime', 'variable', 'graph', 'limit', 'statistic'],
  'Computer Science': ['algorithm', 'data', 'code', 'program', 'software', 'computer', 'network', 'database', 'function', 'variable', 'compiler', 'memory', 'server', 'array', 'recursion', 'complexity', 'javascript', 'python', 'api', 'machine learning', 'neural network', 'model'],
  History: ['war', 'empire', 'century', 'revolution', 'king', 'treaty', 'dynasty', 'ancient', 'colonial', 'battle', 'civilization', 'medieval', 'independence', 'monarchy', 'republic', 'historian'],
  Economics: ['market', 'price', 'demand', 'supply', 'inflation', 'economy', 'trade', 'tax', 'cost', 'investment', 'interest', 'gdp', 'money', 'bank', 'profit', 'monetary', 'fiscal', 'capital'],
  Psychology: ['behavior', 'behaviour', 'cognitive', 'emotion', 'memory', 'brain', 'learning', 'perception', 'motivation', 'personality', 'therapy', 'anxiety', 'bias', 'conditioning', 'attention'],
  Philosophy: ['ethics', 'moral', 'argument', 'knowledge', 'truth', 'existence', 'mind', 'philosopher', 'reason', 'virtue', 'metaphysics', 'logic', 'consciousness', 'justice'],
  Literature: ['novel', 'poem', 'poetry', 'author', 'character', 'narrative', 'theme', 'metaphor', 'story', 'chapter', 'shakespeare', 'literary', 'plot'],
};

export function classifySubject(keyCounts: Map<string, number>): string {
  let best = { subject: 'General', score: 0 };
  for (const [subject, keywords] of Object.entries(LEXICON)) {
    const score = keywords.reduce((sum, k) => sum + (keyCounts.get(k) ?? 0), 0);
    if (score > best.score) best = { subject, score };
  }
  return best.score >= 3 ? best.subject : 'General';
}
