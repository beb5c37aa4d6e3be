// English strings of the convolution nodes and their feature maps (spread into en.ts).
export const enMaps = {
  'node.conv2d.filters': '{n} filters {size}',
  'node.conv2d.detail': 'stride {stride} · {padding}',
  'node.maxpool2d.window': 'max of {size}, stride {stride}',
  'node.avgpool2d.window': 'mean of {size}, stride {stride}',
  'maps.open': 'Maps',
  'maps.openHint': 'Open the feature maps larger: pick the test image, see every channel and the filters',
  'maps.title': 'Feature maps',
  'maps.heading': 'Feature maps of {node}',
  'maps.nodeHint':
    'Output for test image {n}: one small image per channel ({shown} of {total}); colour from −{max} (blue) through 0 (white) to +{max} (red). Click a test image in the output view to pick another.',
  'maps.more': '+{n}',
  'maps.moreHint': '{n} more channels: open Maps to see the first {shown}',
  'maps.explain':
    'What this node outputs for one test image, one small image per channel: where in the image each channel responds. {shown} of {total} channels; one colour scale for the whole node.',
  'maps.sample': 'Test image {n} of {count}',
  'maps.prev': 'Previous test image',
  'maps.next': 'Next test image',
  'maps.truth': 'label {truth}, predicted {predicted}',
  'maps.channel': 'channel {n}',
  'maps.legend': 'blue: negative, white: 0, red: positive (one scale for the whole node)',
  'maps.filters': 'Filters: {filters} of {kh}×{kw}×{c}',
  'maps.filtersPerChannel':
    'Each row is one filter (one output channel): the {kh}×{kw} weights it multiplies with every window of each input channel, then sums.',
  'maps.filtersAveraged':
    'Each image is one filter (one output channel): its {kh}×{kw} weights averaged over its {c} input channels.',
  'maps.filter': 'filter {n}',
  'maps.inChannel': 'input channel {n}',
  'maps.filtersLegend': 'blue: negative, white: 0, red: positive (one scale for all the filters)',
  'viz.maps': 'feature maps',
  'viz.filters': 'filters',
  'viz.filtersHint':
    'W: {filters} filters of {kh}×{kw}×{c}, one image per filter (averaged over the input channels); colour from −{max} (blue) through 0 (white) to +{max} (red)',
  'output.pickMaps': 'Click an image to see its feature maps in the convolution nodes.',
} as const;
