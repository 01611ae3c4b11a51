import { localLambdaContext } from '../../local/lambda-context';

export const testContext = (name = 'test') => localLambdaContext(name, 30);
