// Importing user data (CSV, HDF5, image folders) into a dataset spec kept inline in a graph file.
// DOM-free and disk-free: the CLI reads files and the app's dialog reads File objects, both pass bytes.
export {
  type CsvChoices,
  type CsvColumn,
  type CsvPreview,
  checkCsvSpec,
  csvDataset,
  csvSpec,
  decodeCsvBytes,
  previewCsv,
  type TextEncodingName,
} from './csv.ts';
export { type CsvFacts, rememberCsvFacts } from '../datasets/csv.ts';
export { type H5Data, type H5File, type H5Node, hdf5Dataset, openHdf5 } from './hdf5.ts';
export {
  type DecodedImage,
  decodeImage,
  ignoredFilesProblem,
  imageFolderDataset,
  imageFolderFiles,
  imageSize,
  MAX_IMAGE_PIXELS,
} from './images.ts';
export { importSizeProblem, MAX_IMPORT_BYTES } from './size.ts';
export { datasetSummary } from './summary.ts';
